import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { HubSpotConnector } from '@closewise/server/connectors/hubspot/hubspot-connector';
import { syncChangedSince } from '@closewise/server/connectors/hubspot/incremental-sync';
import { syncMetadata } from '@closewise/server/connectors/hubspot/sync';
import { SyncPosition } from '@closewise/server/connectors/hubspot/sync-position';
import { createStoreSyncSink } from '@closewise/server/store/sync-sink';
import { openTestPglite, type TestStore } from '@closewise/server/test-support/stores';
import { syncIntoStore } from '@closewise/server/use-cases/sync-tenant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

async function tenantStore(id: string, portalId: number): Promise<TestStore> {
  const store = await openTestPglite();
  await store.db
    .insertInto('tenants')
    .values({
      id,
      crm: 'hubspot',
      external_id: String(portalId),
      name: id,
      auth_mode: 'private_app',
      token_ciphertext: null,
      token_expires_at: null,
      settings: '{}',
    })
    .execute();
  return store;
}

describe('incremental sync through the search API', () => {
  const portal = generateSyntheticPortal({ seed: 31, contacts: 200 });
  let sandbox: HubSpotSandbox;
  let store: TestStore;
  let connector: HubSpotConnector;
  let ids: { contacts: Map<string, string>; deals: Map<string, string> };

  beforeAll(async () => {
    // HubSpot's default limits, search's 5/s included.
    sandbox = await startHubSpotSandbox();
    const loaded = sandbox.loadPortal(portal);
    ids = { contacts: loaded.ids.contacts, deals: loaded.ids.deals };
    store = await tenantStore('inc', sandbox.portalId);
    connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: String(sandbox.portalId),
      store: { db: store.db, tenantId: 'inc' },
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
    await store?.dispose();
  });

  const cursors = async () =>
    Object.fromEntries(
      (await store.db.selectFrom('sync_state').select(['object_type', 'cursor']).where('tenant_id', '=', 'inc').execute()).map((r) => [
        r.object_type,
        r.cursor,
      ]),
    );

  it('after a full sync, reads only what changed since, with history, and moves the cursors', async () => {
    const full = await syncIntoStore(store.db, 'inc', connector);
    expect(full.counts.contact).toBe(portal.contacts.length);
    const afterFull = await cursors();
    expect(afterFull['cursor:contact']).toBeTruthy();

    const deal = portal.deals.find((d) => d.properties.dealstage !== 'closedwon')!;
    const dealId = ids.deals.get(deal.id) as string;
    const contactId = ids.contacts.get(portal.contacts[0]!.id) as string;
    sandbox.simulateUserUpdate('deals', dealId, { dealstage: 'closedwon' });
    sandbox.simulateUserUpdate('contacts', contactId, { lifecyclestage: 'customer' });
    const newId = sandbox.simulateUserCreate('contacts', { email: 'new.lead@example.test', lifecyclestage: 'lead' });
    sandbox.resetStats();

    const incremental = await syncIntoStore(store.db, 'inc', connector);
    expect(incremental.counts.deal).toBe(1);
    expect(incremental.counts.contact).toBe(2);
    expect(incremental.counts.company).toBe(0);
    // It searched instead of listing everything again; the one list call is the archived list (empty: one page).
    const byPath = sandbox.stats().byPath;
    expect(byPath['GET /crm/v3/objects/contacts']).toBe(1);
    expect(incremental.counts['archived:contact']).toBe(0);
    expect(byPath['POST /crm/v3/objects/contacts/search']).toBeGreaterThan(0);
    expect(sandbox.stats().rateLimited).toBe(0);

    const record = (type: 'deal' | 'contact', id: string) =>
      store.db
        .selectFrom('crm_records')
        .selectAll()
        .where('tenant_id', '=', 'inc')
        .where('object_type', '=', type)
        .where('external_id', '=', id)
        .executeTakeFirst();
    expect((await record('deal', dealId))?.properties.stage).toBe('closedwon');
    expect((await record('contact', contactId))?.properties.lifecycle).toBe('customer');
    expect(await record('contact', newId)).toBeDefined();
    const stageHistory = await store.db
      .selectFrom('property_history')
      .select('value')
      .where('tenant_id', '=', 'inc')
      .where('external_id', '=', dealId)
      .where('property', '=', 'stage')
      .orderBy('changed_at')
      .execute();
    expect(stageHistory.at(-1)?.value).toBe('closedwon');
    const moved = await cursors();
    expect(Date.parse(moved['cursor:deal'] as string)).toBeGreaterThan(Date.parse(afterFull['cursor:deal'] as string));
  });
});

describe('incremental scan past search’s 10,000-result cap', () => {
  const portal = generateSyntheticPortal({ seed: 37, contacts: 10_250 });
  let sandbox: HubSpotSandbox;
  let store: TestStore;

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ limits: false });
    sandbox.loadPortal(portal);
    store = await tenantStore('big', sandbox.portalId);
  });
  afterAll(async () => {
    await sandbox?.stop();
    await store?.dispose();
  });

  it('pages by hs_object_id and reads every one of 10,250 changed contacts', async () => {
    const connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: String(sandbox.portalId),
      limits: { standard: { max: 10_000, intervalMs: 1000 }, search: { max: 1000, intervalMs: 1000 } },
    });
    const sink = createStoreSyncSink(store.db, 'big');
    const metadata = await syncMetadata(connector.api, sink);
    const found = await syncChangedSince({ api: connector.api, sink, position: new SyncPosition({}, sink), ...metadata }, 'contact', 0);
    expect(found).toBe(10_250);
    const stored = await store.db
      .selectFrom('crm_records')
      .select(store.db.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', 'big')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(10_250);
    expect(sandbox.stats().byStatus['400']).toBeUndefined();
    expect(sandbox.stats().byPath['POST /crm/v3/objects/contacts/search']).toBe(Math.ceil(10_250 / 200));
  });
});
