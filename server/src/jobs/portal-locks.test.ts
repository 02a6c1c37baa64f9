import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPostgres } from '../test-support/stores.ts';
import { createAdvisoryPortalLocks } from './portal-locks.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Advisory portal holds on the machine's PostgreSQL: a lease kept alive by heartbeats, lost without them. */
describe('advisory portal holds', () => {
  let store: Awaited<ReturnType<typeof openTestPostgres>>;
  beforeAll(async () => {
    store = await openTestPostgres();
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it('keeps a heartbeating hold past its lease', async () => {
    const locks = createAdvisoryPortalLocks(store.databaseUrl, 2, { heartbeatMs: 200, leaseMs: 1000 });
    const other = createAdvisoryPortalLocks(store.databaseUrl, 2);
    try {
      const hold = await locks.acquire('t-alive');
      await sleep(2500);
      expect(hold?.lost.aborted).toBe(false);
      expect(await other.acquire('t-alive')).toBeNull();
      await hold?.release();
      const next = await other.acquire('t-alive');
      expect(next).not.toBeNull();
      await next?.release();
    } finally {
      await locks.close();
      await other.close();
    }
  });

  it('frees the portal of a holder that stopped heartbeating within its lease, and tells the holder', async () => {
    // A heartbeat far beyond the lease stands for a holder that hangs (or is cut off) while it holds.
    const hung = createAdvisoryPortalLocks(store.databaseUrl, 2, { heartbeatMs: 600_000, leaseMs: 1000 });
    const other = createAdvisoryPortalLocks(store.databaseUrl, 2);
    try {
      const hold = await hung.acquire('t-hung');
      expect(hold).not.toBeNull();
      const started = Date.now();
      let next = null;
      while (!next && Date.now() - started < 10_000) {
        next = await other.acquire('t-hung');
        if (!next) await sleep(100);
      }
      expect(next).not.toBeNull();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(hold?.lost.aborted).toBe(true);
      await hold?.release();
      await next?.release();
    } finally {
      await hung.close();
      await other.close();
    }
  });

  it('survives its connection being terminated under a held portal: the hold is lost, the process lives', async () => {
    const locks = createAdvisoryPortalLocks(store.databaseUrl, 2);
    const admin = new pg.Client({ connectionString: store.databaseUrl });
    await admin.connect();
    try {
      const hold = await locks.acquire('t-killed');
      await admin.query(
        // This database's advisory holders only: other tests (and other people's) share the server.
        `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
          WHERE d.datname = current_database() AND l.locktype = 'advisory' AND l.granted AND l.pid <> pg_backend_pid()`,
      );
      for (let i = 0; i < 50 && !hold?.lost.aborted; i++) await sleep(100);
      expect(hold?.lost.aborted).toBe(true);
      await hold?.release();
      const again = await locks.acquire('t-killed');
      expect(again).not.toBeNull();
      await again?.release();
    } finally {
      await admin.end();
      await locks.close();
    }
  });
});
