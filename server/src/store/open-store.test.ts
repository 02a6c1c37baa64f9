import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestPostgres, storeEngines, type TestStore } from '../test-support/stores.ts';
import { openStore } from './open-store.ts';

describe.each(storeEngines)('store on $name', ({ open }) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });

  it('applies migrations and round-trips typed rows, JSON and timestamps', async () => {
    store = await open();
    await store.db
      .insertInto('tenants')
      .values({
        id: 't1',
        crm: 'hubspot',
        external_id: '123',
        name: 'Acme',
        auth_mode: 'private_app',
        token_ciphertext: null,
        token_expires_at: null,
        settings: JSON.stringify({ a: 1 }),
      })
      .execute();
    await store.db
      .insertInto('crm_records')
      .values({
        tenant_id: 't1',
        object_type: 'deal',
        external_id: 'd1',
        properties: JSON.stringify({ amount: '100' }),
        created_at: new Date('2024-01-02T03:04:05Z'),
        updated_at: null,
        archived: false,
      })
      .execute();
    const row = await store.db.selectFrom('crm_records').selectAll().where('tenant_id', '=', 't1').executeTakeFirstOrThrow();
    expect(row.properties).toEqual({ amount: '100' });
    expect(row.created_at?.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    const tenant = await store.db.selectFrom('tenants').select(['settings', 'status']).executeTakeFirstOrThrow();
    expect(tenant).toEqual({ settings: { a: 1 }, status: 'active' });
  });

  it('rolls back a failed transaction completely', async () => {
    store = await open();
    const db = store.db;
    await expect(
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('tenants')
          .values({
            id: 't2',
            crm: 'hubspot',
            external_id: '9',
            name: 'x',
            auth_mode: 'oauth',
            token_ciphertext: null,
            token_expires_at: null,
            settings: '{}',
          })
          .execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const count = await db
      .selectFrom('tenants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('counts affected rows on update', async () => {
    store = await open();
    await store.db
      .insertInto('tenants')
      .values({
        id: 't3',
        crm: 'salesforce',
        external_id: '00D',
        name: 'y',
        auth_mode: 'oauth',
        token_ciphertext: null,
        token_expires_at: null,
        settings: '{}',
      })
      .execute();
    const result = await store.db.updateTable('tenants').set({ status: 'disabled' }).where('id', '=', 't3').executeTakeFirst();
    expect(Number(result.numUpdatedRows)).toBe(1);
  });
});

describe('openStore on an unreachable PostgreSQL', () => {
  it('fails fast with a message naming the host', async () => {
    const started = Date.now();
    await expect(openStore({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toThrow(/127\.0\.0\.1:1/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('openStore on PostgreSQL under load', () => {
  it('lets a query wait for a busy pool longer than a connect may take', async () => {
    const test = await openTestPostgres();
    const store = await openStore({ databaseUrl: test.databaseUrl, maxConnections: 1 });
    try {
      // The one connection is busy for 4 s, longer than the 3-s connect probe: the second query queues, then runs.
      const slow = sql`SELECT pg_sleep(4)`.execute(store.db);
      const queued = sql<{ one: number }>`SELECT 1 AS one`.execute(store.db);
      const [, result] = await Promise.all([slow, queued]);
      expect(result.rows[0]?.one).toBe(1);
    } finally {
      await store.close();
      await test.dispose();
    }
  }, 20_000);
});
