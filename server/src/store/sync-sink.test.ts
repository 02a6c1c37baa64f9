import { afterEach, describe, expect, it } from 'vitest';
import type { NeutralRecord } from '../connectors/connector.ts';
import { storeEngines, type TestStore } from '../test-support/stores.ts';
import { createStoreSyncSink } from './sync-sink.ts';

const deal = (id: string, amount: string): NeutralRecord => ({
  objectType: 'deal',
  externalId: id,
  createdAt: new Date('2025-01-01T00:00:00Z'),
  updatedAt: new Date('2025-02-01T00:00:00Z'),
  archived: false,
  properties: { amount, stage: 'qualifiedtobuy' },
  history: [
    { property: 'stage', value: 'appointmentscheduled', changedAt: new Date('2025-01-01T00:00:00Z') },
    { property: 'stage', value: 'qualifiedtobuy', changedAt: new Date('2025-01-10T00:00:00Z') },
  ],
});

describe.each(storeEngines)('sync sink on $name', ({ open }) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });

  async function withTenants(ids: string[]) {
    store = await open();
    for (const id of ids) {
      await store.db
        .insertInto('tenants')
        .values({
          id,
          crm: 'hubspot',
          external_id: id,
          name: id,
          auth_mode: 'private_app',
          token_ciphertext: null,
          token_expires_at: null,
          settings: '{}',
        })
        .execute();
    }
    return store;
  }

  it('upserts records and history idempotently, scoped to its tenant', async () => {
    const { db } = await withTenants(['a', 'b']);
    const sinkA = createStoreSyncSink(db, 'a');
    await sinkA.records([deal('1', '100'), deal('2', '200')]);
    await sinkA.records([deal('1', '150')]);
    await createStoreSyncSink(db, 'b').records([deal('1', '999')]);

    const rowsA = await db
      .selectFrom('crm_records')
      .select(['external_id', 'properties'])
      .where('tenant_id', '=', 'a')
      .orderBy('external_id')
      .execute();
    expect(rowsA.map((r) => [r.external_id, r.properties.amount])).toEqual([
      ['1', '150'],
      ['2', '200'],
    ]);
    const history = await db
      .selectFrom('property_history')
      .select(db.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', 'a')
      .executeTakeFirstOrThrow();
    expect(Number(history.n)).toBe(4);
  });

  it('stores activities, associations, stages and custom fields without duplicates', async () => {
    const { db } = await withTenants(['a']);
    const sink = createStoreSyncSink(db, 'a');
    const activity = {
      kind: 'email' as const,
      externalId: 'e1',
      occurredAt: new Date('2025-01-05T00:00:00Z'),
      direction: 'inbound' as const,
      properties: {},
    };
    await sink.activities([activity, activity]);
    await sink.associations([
      { fromType: 'deal', fromId: '1', toType: 'contact', toId: '7' },
      { fromType: 'deal', fromId: '1', toType: 'contact', toId: '7' },
    ]);
    await sink.stages([
      { pipelineId: 'default', stageId: 'closedwon', label: 'Closed won', displayOrder: 5, probability: 1, outcome: 'won' },
    ]);
    await sink.customFields([{ objectType: 'contact', name: 'seats', label: 'Seats', valueType: 'number' }]);
    await sink.customFields([{ objectType: 'contact', name: 'seats', label: 'Seats requested', valueType: 'number' }]);
    expect(await db.selectFrom('activities').selectAll().execute()).toHaveLength(1);
    expect(await db.selectFrom('associations').selectAll().execute()).toHaveLength(1);
    expect((await db.selectFrom('stages').selectAll().executeTakeFirstOrThrow()).outcome).toBe('won');
    expect((await db.selectFrom('custom_fields').selectAll().executeTakeFirstOrThrow()).label).toBe('Seats requested');
  });

  it('archives activities per tenant and kind, ignores unknown ids, and un-archives on a live upsert', async () => {
    const { db } = await withTenants(['a', 'b']);
    const email = (id: string) => ({
      kind: 'email' as const,
      externalId: id,
      occurredAt: new Date('2025-01-05T00:00:00Z'),
      direction: null,
      properties: {},
    });
    const sinkA = createStoreSyncSink(db, 'a');
    await sinkA.activities([email('e1'), email('e2'), { ...email('e1'), kind: 'call' }]);
    await createStoreSyncSink(db, 'b').activities([email('e1')]);
    await sinkA.archiveActivities('email', ['e1', 'unknown', 'e1']);
    const archived = async () =>
      (
        await db
          .selectFrom('activities')
          .select(['tenant_id', 'kind', 'external_id'])
          .where('archived', '=', true)
          .orderBy('tenant_id')
          .orderBy('kind')
          .orderBy('external_id')
          .execute()
      ).map((r) => `${r.tenant_id}/${r.kind}/${r.external_id}`);
    // Only tenant a's email: not b's email with the same id, not a's call with the same id; nothing inserted.
    expect(await archived()).toEqual(['a/email/e1']);
    expect(await db.selectFrom('activities').selectAll().execute()).toHaveLength(4);
    // HubSpot restored it: the sync reads it live again.
    await sinkA.activities([email('e1')]);
    expect(await archived()).toEqual([]);
  });
});
