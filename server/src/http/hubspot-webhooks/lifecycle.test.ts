import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { type HubSpotSandbox, signV3, startHubSpotSandbox, type WebhookSubscription } from '@closewise/sandboxes/hubspot';
import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snoozeKey } from '../../cards/snoozes.ts';
import { HubSpotConnector } from '../../connectors/hubspot/hubspot-connector.ts';
import { createConnectorRegistry } from '../../connectors/registry.ts';
import { createWebhookProcessor, type WebhookProcessor } from '../../jobs/webhook-processor.ts';
import { createLogger } from '../../logging/logger.ts';
import { loadTenantData } from '../../scoring/tenant-data.ts';
import { trainTenantModels } from '../../scoring/train.ts';
import type { ObjectType } from '../../store/schema.ts';
import { createStoreSyncSink } from '../../store/sync-sink.ts';
import { claimCardActionKey, completeCardActionKey } from '../../store/tables/card-action-keys.ts';
import { recordOutsideEdits } from '../../store/tables/crm-outside-edits.ts';
import { recordWrittenValues } from '../../store/tables/crm-written-values.ts';
import { addSnooze } from '../../store/tables/snoozes.ts';
import { upsertTenant } from '../../tenants/tenant-repository.ts';
import { findMentions, type Needle } from '../../test-support/store-mentions.ts';
import { storeEngines, type TestStore } from '../../test-support/stores.ts';
import { refreshTenantRecord, rescoreScope } from '../../use-cases/index.ts';
import { buildApp } from '../app.ts';
import { listen, type RunningServer } from '../listen.ts';
import { hubSpotWebhooksRouter } from './router.ts';

const APP_ID = '7700456';
const SECRET = 'lifecycle-test-client-secret';

/** The app's shipped subscriptions (webhooks-hsmeta.json), as the sandbox takes them: the test runs what the app asks for. */
function shippedSubscriptions(): WebhookSubscription[] {
  const meta = JSON.parse(
    readFileSync(new URL('../../../../hubspot-app/src/app/webhooks/webhooks-hsmeta.json', import.meta.url), 'utf8'),
  ) as {
    config: { subscriptions: { crmObjects: WebhookSubscription[]; hubEvents?: WebhookSubscription[] } };
  };
  return [...meta.config.subscriptions.crmObjects, ...(meta.config.subscriptions.hubEvents ?? [])];
}

/** Ids and names no other record shares, so a scan that finds them found this contact. */
const ERASED = { id: '73910284655', email: 'zorbalina.quintessa@erase-me.example', firstname: 'Zorbalina', lastname: 'Quintessavex' };
const MERGE_PRIMARY = '73910284700';
const MERGE_AWAY = '73910284711';

/**
 * A synthetic portal whose chosen contacts get the ids and names above: the erased contact is an old one
 * (the trainer uses it) with a deal and activities, plus a note that is hers alone and names her; two more
 * contacts are to be merged, the merged-away one holding a job title the primary lacks and a deal.
 */
function portalWithTargets(): { portal: PortalData; dealOfErased: string; dealOfMerged: string } {
  const portal = generateSyntheticPortal({ seed: 11, contacts: 150 });
  const now = Date.parse(portal.now);
  const dealContacts = new Map<string, string>();
  for (const a of portal.associations) if (a.fromType === 'deal' && a.toType === 'contact') dealContacts.set(a.toId, a.fromId);
  const withActivities = new Set(portal.activities.flatMap((a) => a.contactIds));
  const candidates = portal.contacts.filter(
    (c) => dealContacts.has(c.id) && withActivities.has(c.id) && Date.parse(c.createdAt) < now - 200 * 86_400_000,
  );
  const [erased, merged] = candidates;
  const primary = portal.contacts.find((c) => c !== erased && c !== merged && !dealContacts.has(c.id));
  if (!erased || !merged || !primary) throw new Error('synthetic portal lacks the contacts this test needs');
  const rename = new Map([
    [erased.id, ERASED.id],
    [merged.id, MERGE_AWAY],
    [primary.id, MERGE_PRIMARY],
  ]);
  const dealOfErased = dealContacts.get(erased.id) as string;
  const dealOfMerged = dealContacts.get(merged.id) as string;
  Object.assign(erased.properties, { email: ERASED.email, firstname: ERASED.firstname, lastname: ERASED.lastname });
  merged.properties.jobtitle = 'Chief Merger Officer';
  primary.properties.jobtitle = null;
  for (const c of [erased, merged, primary]) c.id = rename.get(c.id) as string;
  for (const a of portal.associations) {
    if (a.fromType === 'contact') a.fromId = rename.get(a.fromId) ?? a.fromId;
    if (a.toType === 'contact') a.toId = rename.get(a.toId) ?? a.toId;
  }
  for (const a of portal.activities) a.contactIds = a.contactIds.map((id) => rename.get(id) ?? id);
  portal.activities.push({
    id: 'activity-erased-only',
    kind: 'note',
    timestamp: new Date(now - 30 * 86_400_000).toISOString(),
    properties: {
      hs_note_body: `Call ${ERASED.firstname} ${ERASED.lastname} back`,
      hs_timestamp: new Date(now - 30 * 86_400_000).toISOString(),
    },
    contactIds: [ERASED.id],
    companyIds: [],
    dealIds: [],
  });
  return { portal, dealOfErased, dealOfMerged };
}

describe.each(storeEngines)('HubSpot lifecycle webhooks through the signed route ($name)', ({ open }) => {
  const { portal, dealOfErased: seedDealOfErased, dealOfMerged: seedDealOfMerged } = portalWithTargets();
  const now = new Date(portal.now);
  let store: TestStore;
  let server: RunningServer;
  let sandbox: HubSpotSandbox;
  let processor: WebhookProcessor;
  let tenantId: string;
  let ids: { deals: Map<string, string>; companies: Map<string, string> };
  const rescored: string[] = [];

  beforeAll(async () => {
    store = await open();
    const logger = createLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, done) => done() }) });
    const encryptionKey = randomBytes(32);
    let connectors: ReturnType<typeof createConnectorRegistry> | undefined;
    processor = createWebhookProcessor({
      db: store.db,
      logger,
      // The production refresh: the tenant's connector, built from its stored (encrypted) token.
      refresh: (t, type, id) =>
        refreshTenantRecord({ db: store.db, connectors: connectors as NonNullable<typeof connectors> }, t, type, id),
      // The one rescore path (what the record-rescore job runs), scoring only.
      onRecordChanged: async (t, type: ObjectType, id) => {
        rescored.push(`${type}/${id}`);
        await rescoreScope(
          { db: store.db, connectors: connectors as NonNullable<typeof connectors> },
          t,
          { kind: 'records', objectType: type, externalIds: [id] },
          { now, writeBack: 'later' },
        );
      },
    });
    const router = hubSpotWebhooksRouter({ db: store.db, logger, clientSecret: SECRET, appId: APP_ID, onQueued: () => processor.kick() });
    server = await listen(buildApp({ db: store.db, logger, routers: [{ path: '/webhooks/hubspot', router }] }), '127.0.0.1', 0);
    sandbox = await startHubSpotSandbox({
      oauth: { appId: APP_ID, clientSecret: SECRET },
      limits: false,
      webhooks: { targetUrl: `${server.url}/webhooks/hubspot`, subscriptions: shippedSubscriptions(), retryDelayMs: 50 },
    });
    const loaded = sandbox.loadPortal(portal);
    ids = { deals: loaded.ids.deals, companies: loaded.ids.companies };
    const tenant = await upsertTenant(store.db, encryptionKey, {
      crm: 'hubspot',
      externalId: String(sandbox.portalId),
      name: 'lifecycle',
      authMode: 'private_app',
      tokens: { accessToken: sandbox.privateAppToken },
    });
    tenantId = tenant.id;
    connectors = createConnectorRegistry({ db: store.db, encryptionKey, hubspot: { basePath: sandbox.url } });
    const connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: String(sandbox.portalId),
    });
    await connector.install();
    await connector.sync(createStoreSyncSink(store.db, tenantId));
    await rescoreScope({ db: store.db, connectors }, tenantId, { kind: 'tenant' }, { now, writeBack: 'later' });
  }, 120_000);
  afterAll(async () => {
    await sandbox?.stop();
    await server?.close();
    await store?.dispose();
  });

  const settle = async () => {
    await sandbox.webhooks.drain();
    await processor.idle();
  };
  const needles: Needle[] = [
    { label: 'id', id: ERASED.id },
    { label: 'email', text: ERASED.email },
    { label: 'first name', text: ERASED.firstname },
    { label: 'last name', text: ERASED.lastname },
  ];
  const trainedOn = async () => {
    const seen = new Set<string>();
    await trainTenantModels(store.db, tenantId, {
      now,
      onSnapshots: (_target, snapshots) => {
        for (const s of snapshots) seen.add(s.recordId);
      },
    });
    return seen;
  };
  const dealOfErased = () => ids.deals.get(seedDealOfErased) as string;

  it('a privacy deletion leaves no row in any table mentioning the contact, and the next training does not use it', async () => {
    // Everything else the store keeps about a person, besides what the sync brought: what we wrote, a card
    // action's stored response, a snooze, an outside edit, and an earlier webhook event about her.
    await recordWrittenValues(store.db, tenantId, 'contact', [{ id: ERASED.id, values: { closewise_likelihood_to_close: '41' } }]);
    const key = { tenantId, action: 'create-task', objectType: 'contact', objectId: ERASED.id, key: 'k-1' };
    await claimCardActionKey(store.db, key, { fingerprint: 'f', token: 't', ttlMs: 86_400_000, staleClaimMs: 60_000 });
    await completeCardActionKey(store.db, key, 't', { status: 201, body: { task: `Follow up with ${ERASED.firstname}` } });
    await addSnooze(store.db, tenantId, snoozeKey('contact', ERASED.id, 'a1'), '2099-01-01');
    await recordOutsideEdits(
      store.db,
      tenantId,
      [
        {
          objectType: 'contact',
          externalId: ERASED.id,
          property: 'closewise_likelihood_to_close',
          value: '99',
          sourceType: 'CRM_UI',
          sourceId: 'userId:1',
          changedAt: now,
        },
      ],
      now,
    );
    sandbox.simulateUserUpdate('contacts', ERASED.id, { jobtitle: 'Erasure Analyst' });
    await settle();

    // The scan finds her before (so it can fail), across the tables that hold her.
    const before = await findMentions(store.db, needles);
    const tablesBefore = new Set(before.map((m) => m.table));
    for (const table of [
      'crm_records',
      'property_history',
      'associations',
      'scores',
      'crm_written_values',
      'card_action_keys',
      'tenants',
      'crm_outside_edits',
      'webhook_events',
    ])
      expect(tablesBefore, `${table} should hold the contact before the erasure`).toContain(table);
    expect(await trainedOn()).toContain(ERASED.id);
    // Activities linked to her alone (her note): their rows name nobody, so they are checked by id.
    const noteLinks = await store.db
      .selectFrom('associations')
      .select(['from_id', 'to_type', 'to_id'])
      .where('tenant_id', '=', tenantId)
      .where('from_type', '=', 'note')
      .execute();
    const linksOf = (id: string) => noteLinks.filter((l) => l.from_id === id);
    const hers = noteLinks.filter(
      (l) => l.to_id === ERASED.id && linksOf(l.from_id).every((o) => o.to_type === 'contact' && o.to_id === ERASED.id),
    );
    expect(hers.length).toBeGreaterThan(0);
    const shared = noteLinks.filter((l) => l.to_id === ERASED.id && !hers.includes(l));

    rescored.length = 0;
    sandbox.simulateUserGdprDelete(ERASED.id);
    await settle();
    expect(sandbox.webhooks.deliveries().every((d) => d.status === 200)).toBe(true);

    expect(await findMentions(store.db, needles)).toEqual([]);
    const left = await store.db
      .selectFrom('activities')
      .select('external_id')
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'note')
      .where(
        'external_id',
        'in',
        hers.map((h) => h.from_id),
      )
      .execute();
    expect(left).toEqual([]);
    // Notes she shared with others stay, without their link to her.
    if (shared.length > 0) {
      const kept = await store.db
        .selectFrom('activities')
        .select('external_id')
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', 'note')
        .where(
          'external_id',
          'in',
          shared.map((h) => h.from_id),
        )
        .execute();
      expect(kept).toHaveLength(shared.length);
    }
    // Her deal is rescored without her.
    expect(rescored).toContain(`deal/${dealOfErased()}`);
    expect(await trainedOn()).not.toContain(ERASED.id);
    const data = await loadTenantData(store.db, tenantId);
    expect(JSON.stringify([...data.records.keys()])).not.toContain(ERASED.id);
  }, 120_000);

  it('after the GDPR delete the sandbox returns the contact nowhere, and a sync or a late event does not bring it back', async () => {
    const client = (await import('@hubspot/api-client')).Client;
    const hubspot = new client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    await expect(hubspot.crm.contacts.basicApi.getById(ERASED.id)).rejects.toMatchObject({ code: 404 });
    const archived = await hubspot.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    expect(archived.results.map((r) => r.id)).not.toContain(ERASED.id);
    const deal = await hubspot.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: dealOfErased() }] });
    expect(deal.results.flatMap((r) => r.to.map((t) => String(t.toObjectId)))).not.toContain(ERASED.id);

    // HubSpot may still list a GDPR-deleted contact briefly: what a sync hands over for it is dropped.
    const sink = createStoreSyncSink(store.db, tenantId);
    await sink.records([
      {
        objectType: 'contact',
        externalId: ERASED.id,
        properties: { email: ERASED.email },
        createdAt: now,
        updatedAt: now,
        archived: false,
        history: [{ property: 'email', value: ERASED.email, changedAt: now }],
      },
    ]);
    await sink.associations([{ fromType: 'deal', fromId: dealOfErased(), toType: 'contact', toId: ERASED.id }]);
    // And a late (signed) event about her is acknowledged, not queued.
    const body = JSON.stringify([
      {
        eventId: 99_001,
        subscriptionId: 3,
        portalId: sandbox.portalId,
        appId: Number(APP_ID),
        occurredAt: Date.now(),
        subscriptionType: 'object.propertyChange',
        attemptNumber: 0,
        objectId: Number(ERASED.id),
        objectTypeId: '0-1',
        propertyName: 'lifecyclestage',
        propertyValue: 'customer',
        changeSource: 'CRM_UI',
      },
    ]);
    const timestamp = Date.now();
    const url = `${server.url}/webhooks/hubspot`;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': String(timestamp),
        'x-hubspot-signature-v3': signV3(SECRET, 'POST', url, body, timestamp),
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ queued: 0, ignored: 1 });
    await processor.idle();
    expect(await findMentions(store.db, needles)).toEqual([]);
  });

  it('a merge removes the merged-away contact and resyncs and rescores the survivor', async () => {
    const dealOfMerged = ids.deals.get(seedDealOfMerged) as string;
    const rows = (type: ObjectType, id: string) =>
      store.db
        .selectFrom('crm_records')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('object_type', '=', type)
        .where('external_id', '=', id)
        .execute();
    expect(await rows('contact', MERGE_AWAY)).toHaveLength(1);
    rescored.length = 0;
    sandbox.simulateUserMerge('contacts', MERGE_PRIMARY, MERGE_AWAY);
    await settle();

    expect(await rows('contact', MERGE_AWAY)).toEqual([]);
    expect(await findMentions(store.db, [{ label: 'merged id', id: MERGE_AWAY }])).toEqual([]);
    // Resynced: the job title HubSpot moved from the merged record, and the deal now linked to the survivor.
    const [survivor] = await rows('contact', MERGE_PRIMARY);
    expect(survivor?.properties.job_title).toBe('Chief Merger Officer');
    const links = await store.db
      .selectFrom('associations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('to_type', '=', 'contact')
      .where('to_id', '=', MERGE_PRIMARY)
      .execute();
    expect(links.map((l) => `${l.from_type}/${l.from_id}`)).toContain(`deal/${dealOfMerged}`);
    expect(rescored).toContain(`contact/${MERGE_PRIMARY}`);
    const score = await store.db
      .selectFrom('scores')
      .select('scored_at')
      .where('tenant_id', '=', tenantId)
      .where('object_type', '=', 'contact')
      .where('external_id', '=', MERGE_PRIMARY)
      .executeTakeFirst();
    expect(score).toBeDefined();
  });

  it('an association change resyncs the association and rescores both ends; removing it drops it from the store', async () => {
    const deal = [...ids.deals.values()].find((d) => d !== dealOfErased()) as string;
    const contact = MERGE_PRIMARY;
    const link = () =>
      store.db
        .selectFrom('associations')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('from_type', '=', 'deal')
        .where('from_id', '=', deal)
        .where('to_type', '=', 'contact')
        .where('to_id', '=', contact)
        .execute();
    await sandbox.webhooks.drain();
    rescored.length = 0;
    sandbox.simulateUserAssociate('deals', deal, 'contacts', contact);
    await settle();
    expect(await link()).toHaveLength(1);
    expect(rescored).toEqual(expect.arrayContaining([`deal/${deal}`, `contact/${contact}`]));

    rescored.length = 0;
    sandbox.simulateUserDissociate('deals', deal, 'contacts', contact);
    await settle();
    expect(await link()).toEqual([]);
    expect(rescored).toEqual(expect.arrayContaining([`deal/${deal}`, `contact/${contact}`]));
  });

  it('acknowledges and ignores subscription types Closewise does not act on', async () => {
    const body = JSON.stringify([
      {
        eventId: 99_500,
        subscriptionId: 77,
        portalId: sandbox.portalId,
        appId: Number(APP_ID),
        occurredAt: Date.now(),
        subscriptionType: 'conversation.newMessage',
        attemptNumber: 0,
        objectId: 5,
        messageId: 'abc',
        changeFlag: 'NEW_MESSAGE',
      },
      {
        eventId: 99_501,
        subscriptionId: 78,
        portalId: sandbox.portalId,
        appId: Number(APP_ID),
        occurredAt: Date.now(),
        subscriptionType: 'object.associationChange',
        attemptNumber: 0,
        associationType: 'TICKET_TO_CONTACT',
        fromObjectTypeId: '0-5',
        fromObjectId: 12,
        toObjectTypeId: '0-1',
        toObjectId: Number(MERGE_PRIMARY),
        associationRemoved: false,
        isPrimaryAssociation: false,
      },
    ]);
    const timestamp = Date.now();
    const url = `${server.url}/webhooks/hubspot`;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': String(timestamp),
        'x-hubspot-signature-v3': signV3(SECRET, 'POST', url, body, timestamp),
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: 2, queued: 0, ignored: 2, invalid: 0 });
  });
});
