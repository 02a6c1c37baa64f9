import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../store/open-store.ts';

/** The machine's PostgreSQL (trust auth); each test store gets its own throwaway database. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore extends Store {
  /** Closes the store and removes what it created. */
  dispose(): Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function openTestPostgres(): Promise<TestStore & { databaseUrl: string }> {
  const name = `closewise_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), maxConnections: 4 });
  return {
    ...store,
    databaseUrl: url.toString(),
    async dispose() {
      await store.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export async function openTestPglite(): Promise<TestStore> {
  const store = await openStore({ dataDir: 'memory://' });
  return { ...store, dispose: () => store.close() };
}

/** Both engines, so one suite proves the same behaviour on the embedded store and on PostgreSQL. */
export const storeEngines: { name: 'pglite' | 'postgres'; open: () => Promise<TestStore> }[] = [
  { name: 'pglite', open: openTestPglite },
  { name: 'postgres', open: openTestPostgres },
];
