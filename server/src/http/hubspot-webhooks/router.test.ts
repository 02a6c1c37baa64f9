import { Writable } from 'node:stream';
import { type HubSpotSandbox, signV3, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HubSpotConnector } from '../../connectors/hubspot/hubspot-connector.ts';
import { createWebhookProcessor, type WebhookProcessor } from '../../jobs/webhook-processor.ts';
import { createLogger } from '../../logging/logger.ts';
import type { ObjectType } from '../../store/schema.ts';
import { createStoreSyncSink } from '../../store/sync-sink.ts';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import { buildApp } from '../app.ts';
import { listen, type RunningServer } from '../listen.ts';
import { hubSpotWebhooksRouter } from './router.ts';

const PORTAL = 4_242_001;
const APP_ID = '7700123';
const SECRET = 'webhook-test-client-secret';

describe('HubSpot webhook endpoint, fed by the sandbox', () => {
  let store: TestStore;
  let server: RunningServer;
  let sandbox: HubSpotSandbox;
  let connector: HubSpotConnector;
  let processor: WebhookProcessor;
  let targetUrl: string;
  const logLines: string[] = [];
  const changed: string[] = [];
  let failRefreshes = 0;

  beforeAll(async () => {
    store = await openTestPglite();
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    });
    processor = createWebhookProcessor({
      db: store.db,
      logger,
      refresh: async (tenantId, objectType, id) => {
        if (failRefreshes > 0) {
          failRefreshes--;
          throw new Error('HubSpot unavailable');
        }
        return connector.refreshRecord(createStoreSyncSink(store.db, tenantId), objectType, id);
      },
      onRecordChanged: async (_tenantId, objectType: ObjectType, id) => {
        changed.push(`${objectType}/${id}`);
      },
    });
    const router = hubSpotWebhooksRouter({ db: store.db, logger, clientSecret: SECRET, appId: APP_ID, onQueued: () => processor.kick() });
    server = await listen(buildApp({ db: store.db, logger, routers: [{ path: '/webhooks/hubspot', router }] }), '127.0.0.1', 0);
    targetUrl = `${server.url}/webhooks/hubspot`;
    sandbox = await startHubSpotSandbox({
      portalId: PORTAL,
      oauth: { appId: APP_ID, clientSecret: SECRET },
      webhooks: {
        targetUrl,
        subscriptions: [
          { subscriptionType: 'object.creation', objectType: 'contact' },
          { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'lifecyclestage' },
          { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'closewise_likelihood_to_close' },
          { subscriptionType: 'object.deletion', objectType: 'contact' },
        ],
      },
    });
    await store.db
      .insertInto('tenants')
      .values({
        id: 't1',
        crm: 'hubspot',
        external_id: String(PORTAL),
        name: 'p',
        auth_mode: 'private_app',
        token_ciphertext: null,
        token_expires_at: null,
        settings: '{}',
      })
      .execute();
    connector = new HubSpotConnector({ accessToken: sandbox.privateAppToken, basePath: sandbox.url, portalId: String(PORTAL) });
    await connector.install();
  });
  afterAll(async () => {
    await sandbox?.stop();
    await server?.close();
    await store?.dispose();
  });
  beforeEach(() => {
    changed.length = 0;
    logLines.length = 0;
  });

  const queued = () => store.db.selectFrom('webhook_events').selectAll().orderBy('id').execute();
  const settle = async () => {
    await sandbox.webhooks.drain();
    await processor.idle();
  };

  /** Posts `body` to the endpoint signed like HubSpot (or not). */
  async function post(body: string, sign: { secret?: string; timestamp?: number; omit?: boolean } = {}): Promise<Response> {
    const timestamp = sign.timestamp ?? Date.now();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!sign.omit) {
      headers['x-hubspot-request-timestamp'] = String(timestamp);
      headers['x-hubspot-signature-v3'] = signV3(sign.secret ?? SECRET, 'POST', targetUrl, body, timestamp);
    }
    return fetch(targetUrl, { method: 'POST', headers, body });
  }

  const event = (overrides: Record<string, unknown> = {}) => ({
    eventId: 1,
    subscriptionId: 11,
    portalId: PORTAL,
    appId: Number(APP_ID),
    occurredAt: Date.now(),
    subscriptionType: 'object.propertyChange',
    attemptNumber: 0,
    objectId: 1,
    objectTypeId: '0-1',
    propertyName: 'lifecyclestage',
    propertyValue: 'customer',
    changeSource: 'CRM_UI',
    sourceId: 'userId:1',
    ...overrides,
  });

  it('queues a person’s change, refreshes that record into the store, then hands it to rescoring', async () => {
    const id = sandbox.simulateUserCreate('contacts', { email: 'ana@example.test', firstname: 'Ana', lifecyclestage: 'lead' });
    await settle();
    sandbox.simulateUserUpdate('contacts', id, { lifecyclestage: 'salesqualifiedlead' });
    await settle();
    expect(sandbox.webhooks.deliveries().every((d) => d.status === 200)).toBe(true);
    const stored = await store.db
      .selectFrom('crm_records')
      .selectAll()
      .where('tenant_id', '=', 't1')
      .where('external_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.properties.lifecycle).toBe('sql');
    expect(changed).toContain(`contact/${id}`);
    const rows = (await queued()).filter((r) => r.object_id === id);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.status === 'done')).toBe(true);
  });

  it('drops events caused by our own writes and changes to closewise_ properties', async () => {
    const id = sandbox.simulateUserCreate('contacts', { email: 'ben@example.test', lifecyclestage: 'lead' });
    await settle();
    const before = (await queued()).length;
    changed.length = 0;
    // Our write-back: INTEGRATION with our app id as the source.
    await connector.api.call('standard', (c) =>
      c.crm.contacts.batchApi.update({ inputs: [{ id, properties: { lifecyclestage: 'customer', closewise_likelihood_to_close: '40' } }] }),
    );
    // A person editing our property in HubSpot's UI is still not a reason to rescore.
    sandbox.simulateUserUpdate('contacts', id, { closewise_likelihood_to_close: '55' });
    await settle();
    const delivered = sandbox.webhooks.deliveries().length;
    expect(delivered).toBeGreaterThan(0);
    expect((await queued()).length).toBe(before);
    expect(changed).toEqual([]);
  });

  it('answers 401 to unsigned, forged and stale requests and queues nothing', async () => {
    const before = (await queued()).length;
    const body = JSON.stringify([event({ eventId: 901 })]);
    expect((await post(body, { omit: true })).status).toBe(401);
    expect((await post(body, { secret: 'someone-else' })).status).toBe(401);
    expect((await post(body, { timestamp: Date.now() - 10 * 60 * 1000 })).status).toBe(401);
    // A valid signature over other bytes: the body was tampered with.
    const tampered = await fetch(targetUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': String(Date.now()),
        'x-hubspot-signature-v3': signV3(SECRET, 'POST', targetUrl, JSON.stringify([event({ eventId: 902 })]), Date.now()),
      },
      body,
    });
    expect(tampered.status).toBe(401);
    expect((await queued()).length).toBe(before);
  });

  it('answers 400 to malformed bodies', async () => {
    expect((await post('[{"eventId": 1,')).status).toBe(400);
    expect((await post(JSON.stringify({ not: 'an array' }))).status).toBe(400);
    expect((await post('[]')).status).toBe(400);
    expect((await post(`${'['.repeat(50)}${']'.repeat(50)}`)).status).toBe(400);
    // A batch is checked event by event: a lone bad event is acknowledged as invalid, not a reason to retry.
    const lone = await post(JSON.stringify([{ ...event(), objectId: 'abc' }]));
    expect(lone.status).toBe(200);
    expect(await lone.json()).toMatchObject({ received: 1, queued: 0, invalid: 1 });
  });

  it('queues the good events of a batch holding a bad one, stripping NUL and lone surrogates HubSpot relays', async () => {
    const good = Array.from({ length: 99 }, (_, i) => event({ eventId: 50_000 + i, objectId: 900 + i }));
    const bad = { ...event({ eventId: 60_000 }), occurredAt: 'yesterday' };
    const dirty = event({ eventId: 60_001, objectId: 999, propertyValue: 'cus\u0000tomer\ud800', sourceId: 'userId:\u00001' });
    const before = (await queued()).length;
    const response = await post(JSON.stringify([...good.slice(0, 50), bad, ...good.slice(50), dirty]));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: 101, queued: 100, invalid: 1 });
    expect((await queued()).length - before).toBe(100);
    await settle();
  });

  it('acknowledges events for unknown portals, ignores them and logs no personal data', async () => {
    const before = (await queued()).length;
    const response = await post(
      JSON.stringify([event({ portalId: 999_111, eventId: 77, propertyName: 'email', propertyValue: 'secret.person@example.test' })]),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: 1, queued: 0, ignored: 1 });
    expect((await queued()).length).toBe(before);
    const log = logLines.join('\n');
    expect(log).toContain('999111');
    expect(log).not.toContain('secret.person');
  });

  it('dedupes redelivered events on (subscriptionId, eventId, occurredAt)', async () => {
    const id = sandbox.simulateUserCreate('contacts', { email: 'cy@example.test' });
    await settle();
    const before = (await queued()).length;
    const body = JSON.stringify([event({ eventId: 5005, objectId: Number(id), occurredAt: 1_700_000_000_000 })]);
    expect((await post(body)).status).toBe(200);
    const again = await post(body);
    expect(await again.json()).toMatchObject({ queued: 0 });
    // Same eventId at another time is another event (HubSpot does not promise unique ids).
    await post(JSON.stringify([event({ eventId: 5005, objectId: Number(id), occurredAt: 1_700_000_000_001 })]));
    await processor.idle();
    expect((await queued()).length).toBe(before + 2);
  });

  it('keeps a record’s events pending in order when its refresh fails, then processes them once', async () => {
    const id = sandbox.simulateUserCreate('contacts', { email: 'dee@example.test', lifecyclestage: 'lead' });
    await settle();
    changed.length = 0;
    failRefreshes = 1;
    sandbox.simulateUserUpdate('contacts', id, { lifecyclestage: 'opportunity' });
    await settle();
    const mine = async () => (await queued()).filter((r) => r.object_id === id && r.status !== 'done');
    expect((await mine()).map((r) => [r.status, r.attempts])).toEqual([['pending', 1]]);
    expect(changed).toEqual([]);
    sandbox.simulateUserUpdate('contacts', id, { lifecyclestage: 'customer' });
    await settle();
    expect(await mine()).toEqual([]);
    // Both pending changes collapsed into one refresh that read the latest state.
    expect(changed).toEqual([`contact/${id}`]);
    const stored = await store.db.selectFrom('crm_records').selectAll().where('external_id', '=', id).executeTakeFirstOrThrow();
    expect(stored.properties.lifecycle).toBe('customer');
  });

  const stored = (type: ObjectType, id: string, tenantId = 't1') =>
    store.db
      .selectFrom('crm_records')
      .select('archived')
      .where('tenant_id', '=', tenantId)
      .where('object_type', '=', type)
      .where('external_id', '=', id)
      .executeTakeFirst();

  it('archives a contact when HubSpot sends its deletion event, in order after its other events', async () => {
    const id = sandbox.simulateUserCreate('contacts', { email: 'eve@example.test', lifecyclestage: 'lead' });
    await settle();
    expect(await stored('contact', id)).toEqual({ archived: false });
    changed.length = 0;
    sandbox.simulateUserArchive('contacts', id);
    await settle();
    const rows = (await queued()).filter((r) => r.object_id === id);
    expect(rows.map((r) => r.subscription_type)).toContain('object.deletion');
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    expect(await stored('contact', id)).toEqual({ archived: true });
    // Gone: nothing to rescore.
    expect(changed).toEqual([]);
  });

  it('archives on a signed legacy deal.deletion event, idempotently, for that tenant only', async () => {
    const id = sandbox.simulateUserCreate('deals', { dealname: 'Gone deal', dealstage: 'appointmentscheduled', pipeline: 'default' });
    expect(await connector.refreshRecord(createStoreSyncSink(store.db, 't1'), 'deal', id)).toBe(true);
    // Another tenant's record with the same HubSpot id stays as it is.
    await store.db
      .insertInto('tenants')
      .values({
        id: 't2',
        crm: 'hubspot',
        external_id: '5550002',
        name: 'q',
        auth_mode: 'private_app',
        token_ciphertext: null,
        token_expires_at: null,
        settings: '{}',
      })
      .execute();
    await store.db
      .insertInto('crm_records')
      .values({
        tenant_id: 't2',
        object_type: 'deal',
        external_id: id,
        properties: '{}',
        created_at: null,
        updated_at: null,
        archived: false,
      })
      .execute();
    // HubSpot deletes it; the subscription here has no deal events, so the event comes by hand.
    await connector.api.call('standard', (c) => c.crm.deals.basicApi.archive(id));
    const deletion = (eventId: number) =>
      event({
        eventId,
        subscriptionType: 'deal.deletion',
        objectTypeId: undefined,
        objectId: Number(id),
        propertyName: undefined,
        propertyValue: undefined,
        changeFlag: 'DELETED',
      });
    expect((await post(JSON.stringify([deletion(8001)]))).status).toBe(200);
    await processor.idle();
    expect(await stored('deal', id)).toEqual({ archived: true });
    // A second deletion event (HubSpot retries, or another subscription) changes nothing and fails nothing.
    expect((await post(JSON.stringify([deletion(8002)]))).status).toBe(200);
    await processor.idle();
    expect(await stored('deal', id)).toEqual({ archived: true });
    expect((await queued()).filter((r) => r.object_id === id).map((r) => r.status)).toEqual(['done', 'done']);
    expect(await stored('deal', id, 't2')).toEqual({ archived: false });
  });
});
