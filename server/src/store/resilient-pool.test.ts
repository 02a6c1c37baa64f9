import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnreachableError } from '../errors/errors.ts';
import { openTestPostgres } from '../test-support/stores.ts';
import { isLostConnection } from './lost-connection.ts';

/** The store's PostgreSQL pool when the database drops its connections (issue #18). */
describe('a store whose connections are terminated', () => {
  let store: Awaited<ReturnType<typeof openTestPostgres>>;
  let admin: pg.Client;
  beforeAll(async () => {
    store = await openTestPostgres();
    admin = new pg.Client({ connectionString: store.databaseUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await store?.dispose();
  });

  const terminateOthers = () =>
    admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');

  it('fails the query in flight as StoreUnreachableError, stays up, and answers the next query on a new connection', async () => {
    const outcome = (work: Promise<unknown>) =>
      work.then(
        () => 'resolved',
        (error: unknown) => error,
      );
    const inFlight = outcome(sql`SELECT pg_sleep(5)`.execute(store.db));
    // Inside a transaction too: the checked-out client of a transaction loses its connection the same way.
    const inTransaction = outcome(
      store.db.transaction().execute(async (trx) => {
        await sql`SELECT 1`.execute(trx);
        await sql`SELECT pg_sleep(5)`.execute(trx);
      }),
    );
    // Both sleeps are running (under load, connecting can take longer than any fixed pause).
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep%' AND state = 'active'`,
      );
      if ((rows[0]?.n ?? 0) >= 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await terminateOthers();
    expect(await inFlight).toBeInstanceOf(StoreUnreachableError);
    expect(await inTransaction).toBeInstanceOf(StoreUnreachableError);
    // An idle pooled connection was terminated too; the pool drops it when its socket's close arrives, which on a
    // loaded machine can come after the two failures above. A second is ample for the local socket events.
    await new Promise((r) => setTimeout(r, 1_000));
    const { rows } = await sql<{ ok: number }>`SELECT 1 AS ok`.execute(store.db);
    expect(rows).toEqual([{ ok: 1 }]);
  });

  it('leaves statement errors as they are', async () => {
    const failure = await sql`SELECT * FROM no_such_table`.execute(store.db).catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(StoreUnreachableError);
    expect(isLostConnection(failure)).toBe(false);
  });
});
