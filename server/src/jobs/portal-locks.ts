import pg from 'pg';

/** A portal held by this process; release exactly once. */
export interface PortalHold {
  release(): Promise<void>;
}

/**
 * Exclusive per-portal holds. Only one job that rewrites a portal's data or models runs for it at a time,
 * across job types and across worker processes.
 */
export interface PortalLocks {
  /** Tries to hold the portal, waiting up to `waitMs`; null when it stayed busy. */
  acquire(tenantId: string, options?: { waitMs?: number; signal?: AbortSignal }): Promise<PortalHold | null>;
  close(): Promise<void>;
}

const POLL_MS = 200;

async function pollFor<T>(attempt: () => Promise<T | null>, waitMs: number, signal?: AbortSignal): Promise<T | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const got = await attempt();
    if (got !== null) return got;
    if (Date.now() + POLL_MS > deadline || signal?.aborted) return null;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** One process (the embedded engine): a map is enough. */
export function createMemoryPortalLocks(): PortalLocks {
  const held = new Set<string>();
  return {
    acquire(tenantId, options = {}) {
      return pollFor(
        async () => {
          if (held.has(tenantId)) return null;
          held.add(tenantId);
          let released = false;
          return {
            async release() {
              if (released) return;
              released = true;
              held.delete(tenantId);
            },
          };
        },
        options.waitMs ?? 0,
        options.signal,
      );
    },
    async close() {
      held.clear();
    },
  };
}

/**
 * Many processes on PostgreSQL: a session advisory lock on a connection kept for the job's duration.
 * When a worker dies — even by SIGKILL — its connection closes and PostgreSQL drops the lock at once,
 * so a crashed worker never leaves a portal held (unlike a lease row, which would wait for a timeout).
 */
export function createAdvisoryPortalLocks(databaseUrl: string, maxHolds = 16): PortalLocks {
  // allowExitOnIdle: an idle pool never keeps a process alive (the HTTP side's locks have no close hook).
  const pool = new pg.Pool({ connectionString: databaseUrl, max: maxHolds, connectionTimeoutMillis: 5000, allowExitOnIdle: true });
  pool.on('error', () => undefined);
  // Two-key form: the first key namespaces Closewise's portal locks away from any other advisory lock user.
  const lockSql = `SELECT pg_try_advisory_lock(hashtext('closewise.portal'), hashtext($1)) AS ok`;
  const unlockSql = `SELECT pg_advisory_unlock(hashtext('closewise.portal'), hashtext($1)) AS ok`;
  return {
    async acquire(tenantId, options = {}) {
      const client = await pool.connect();
      const hold = await pollFor(
        async () => {
          const result = await client.query<{ ok: boolean }>(lockSql, [tenantId]);
          if (!result.rows[0]?.ok) return null;
          let released = false;
          return {
            async release() {
              if (released) return;
              released = true;
              try {
                await client.query(unlockSql, [tenantId]);
                client.release();
              } catch {
                // A broken connection has lost the lock with it; never hand it back to the pool.
                client.release(true);
              }
            },
          } satisfies PortalHold;
        },
        options.waitMs ?? 0,
        options.signal,
      ).catch((error: unknown) => {
        client.release(true);
        throw error;
      });
      if (!hold) client.release();
      return hold;
    },
    close: () => pool.end(),
  };
}

/**
 * The portal locks for code outside the job engine (the Salesforce rescore endpoint): advisory locks on
 * PostgreSQL, so processes exclude each other as the workers do; a map in one process on PGlite.
 */
export function createStorePortalLocks(
  store: { engine: 'pglite' | 'postgres' },
  databaseUrl: string | undefined,
  maxHolds = 4,
): PortalLocks {
  return store.engine === 'postgres' && databaseUrl ? createAdvisoryPortalLocks(databaseUrl, maxHolds) : createMemoryPortalLocks();
}
