import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreSyncSink } from '../../store/sync-sink.ts';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import { CLOSEWISE_PROPERTIES } from './closewise-properties.ts';
import { HubSpotConnector } from './hubspot-connector.ts';
import { InstallConflictError } from './install.ts';

describe('HubSpot connector against the sandbox, through @hubspot/api-client', () => {
  const portal = generateSyntheticPortal({ seed: 5, contacts: 150 });
  let sandbox: HubSpotSandbox;
  let store: TestStore;
  let connector: HubSpotConnector;
  /** Seed id → the id the sandbox portal gave the record. */
  let idOf: (type: 'contacts' | 'companies' | 'deals', seedId: string) => string;

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox();
    const loaded = sandbox.loadPortal(portal);
    idOf = (type, seedId) => loaded.ids[type].get(seedId) ?? seedId;
    store = await openTestPglite();
    await store.db
      .insertInto('tenants')
      .values({
        id: 't',
        crm: 'hubspot',
        external_id: String(sandbox.portalId),
        name: 'p',
        auth_mode: 'private_app',
        token_ciphertext: null,
        token_expires_at: null,
        settings: '{}',
      })
      .execute();
    connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: String(sandbox.portalId),
      limits: { standard: { max: 1000, intervalMs: 1000 }, search: { max: 100, intervalMs: 1000 } },
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
    await store?.dispose();
  });

  it('provisions the closewise properties once; a second install changes nothing', async () => {
    const first = await connector.install();
    const expected = Object.values(CLOSEWISE_PROPERTIES).reduce((n, list) => n + list.length, 0);
    expect(first.created).toHaveLength(expected);
    const second = await connector.install();
    expect(second.created).toHaveLength(0);
    expect(second.unchanged).toHaveLength(expected);
  });

  it('syncs every record, its history, activities, associations, stages and custom fields', async () => {
    const result = await connector.sync(createStoreSyncSink(store.db, 't'));
    expect(result.counts.contact).toBe(portal.contacts.length);
    expect(result.counts.company).toBe(portal.companies.length);
    expect(result.counts.deal).toBe(portal.deals.length);
    expect(result.counts.email! + result.counts.call! + result.counts.meeting! + result.counts.note! + result.counts.task!).toBe(
      portal.activities.length,
    );

    const deal = portal.deals.find((d) => (d.history.dealstage?.length ?? 0) > 2)!;
    const stored = await store.db
      .selectFrom('crm_records')
      .selectAll()
      .where('tenant_id', '=', 't')
      .where('object_type', '=', 'deal')
      .where('external_id', '=', idOf('deals', deal.id))
      .executeTakeFirstOrThrow();
    expect(stored.properties.stage).toBe(deal.properties.dealstage);
    expect(stored.properties.amount).toBe(deal.properties.amount);
    const stageHistory = await store.db
      .selectFrom('property_history')
      .select(['value'])
      .where('tenant_id', '=', 't')
      .where('external_id', '=', idOf('deals', deal.id))
      .where('property', '=', 'stage')
      .orderBy('changed_at')
      .execute();
    expect(stageHistory.map((h) => h.value)).toEqual(deal.history.dealstage!.map((h) => h.value));

    const stages = await store.db.selectFrom('stages').selectAll().where('tenant_id', '=', 't').execute();
    expect(stages.find((s) => s.stage_id === 'closedwon')?.outcome).toBe('won');
    expect(stages.find((s) => s.stage_id === 'closedlost')?.outcome).toBe('lost');

    const custom = await store.db.selectFrom('custom_fields').select(['object_type', 'name']).where('tenant_id', '=', 't').execute();
    expect(custom.map((c) => `${c.object_type}.${c.name}`).sort()).toEqual(
      portal.customProperties.map((p) => `${p.objectType}.${p.name}`).sort(),
    );

    const dealContacts = portal.associations.filter((a) => a.fromType === 'deal' && a.toType === 'contact').length;
    const storedDealContacts = await store.db
      .selectFrom('associations')
      .select(store.db.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', 't')
      .where('from_type', '=', 'deal')
      .where('to_type', '=', 'contact')
      .executeTakeFirstOrThrow();
    expect(Number(storedDealContacts.n)).toBe(dealContacts);
  });

  it('writes scores back in batches of at most 100 and they read back through the SDK', async () => {
    const contacts = portal.contacts.slice(0, 130);
    const result = await connector.writeScores(
      contacts
        .map((c, i) => ({
          objectType: 'contact' as const,
          externalId: c.id,
          fields: { likelihoodToClose: i / 200, priority: 'high' } as const,
        }))
        .map((w) => ({ ...w, externalId: idOf('contacts', w.externalId) })),
    );
    expect(result).toEqual({ written: 130, failed: [], unchanged: 0 });
    const read = await connector.client.crm.contacts.batchApi.read({
      inputs: [{ id: idOf('contacts', contacts[129]!.id) }],
      properties: ['closewise_likelihood_to_close', 'closewise_contact_priority'],
      propertiesWithHistory: [],
    });
    expect(read.results[0]?.properties.closewise_likelihood_to_close).toBe('64.5');
    expect(read.results[0]?.properties.closewise_contact_priority).toBe('high');
    const batchCalls = Object.entries(sandbox.stats().byPath ?? {}).filter(([path]) => path.includes('batch/update'));
    expect(batchCalls.length).toBeGreaterThan(0);
  });

  it('reports per-record failures instead of throwing when HubSpot rejects a batch', async () => {
    const result = await connector.writeScores([{ objectType: 'deal', externalId: '999999999', fields: { winProbability: 0.5 } }]);
    expect(result.written).toBe(0);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]?.externalId).toBe('999999999');
  });
});

describe('install against a portal that already has a closewise property of another type', () => {
  let sandbox: HubSpotSandbox;
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('stops with a clear InstallConflictError and changes nothing', async () => {
    sandbox = await startHubSpotSandbox();
    const connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: String(sandbox.portalId),
    });
    await connector.api.call('standard', (c) =>
      c.crm.properties.coreApi.create('contacts', {
        name: 'closewise_lead_grade',
        label: 'Someone else’s grade',
        type: PropertyCreateTypeEnum.Number,
        fieldType: PropertyCreateFieldTypeEnum.Number,
        groupName: 'contactinformation',
      }),
    );
    const error = await connector.install().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InstallConflictError);
    expect((error as Error).message).toContain("'closewise_lead_grade' already exists with type 'number'");
    for (const type of ['contacts', 'companies', 'deals']) {
      const properties = await connector.api.call('standard', (c) => c.crm.properties.coreApi.getAll(type));
      const ours = properties.results.filter((p) => p.name.startsWith('closewise_'));
      expect(ours.map((p) => [p.name, p.type])).toEqual(type === 'contacts' ? [['closewise_lead_grade', 'number']] : []);
    }
  });
});
