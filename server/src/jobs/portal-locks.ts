import pg from 'pg';
import { StoreUnreachableError } from '../errors/errors.ts';
import { asStoreError } from '../store/lost-connection.ts';
import { survivingConnectionLoss } from '../store/resilient-pool.ts';

/** A portal held by this process; release exactly once. */
export interface PortalHold {
  /**
   * Aborted when the hold is lost before release (its database connection dropped or stopped answering):
   * from then on the job no longer excludes others from the portal and should stop at its next safe point.
   */
  readonly lost: AbortSignal;
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
            // One process: nothing but release can end the hold.
            lost: new AbortController().signal,
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

/** How the advisory holds prove they are alive; tests shorten it. */
export interface HoldLeaseTiming {
  /** The holder runs a query on the hold's connection this often. */
  heartbeatMs: number;
  /**
   * PostgreSQL ends a hold's session (and so drops its lock) after this long without a query, and probes the
   * socket on this schedule too: a hung or cut-off holder frees its portal within it, not after TCP's hours.
   */
  leaseMs: number;
}

export const defaultHoldLeaseTiming: HoldLeaseTiming = { heartbeatMs: 10_000, leaseMs: 30_000 };

/** Session settings that make PostgreSQL itself expire a silent holder's session (and its locks) within `leaseMs`. */
function leaseSettingsSql(leaseMs: number): string {
  const probeSeconds = Math.max(1, Math.floor(leaseMs / 6000));
  return [
    `SET idle_session_timeout = ${Math.floor(leaseMs)}`,
    `SET tcp_keepalives_idle = ${probeSeconds}`,
    `SET tcp_keepalives_interval = ${probeSeconds}`,
    'SET tcp_keepalives_count = 3',
  ].join('; ');
}

/** Watches one hold's connection: a heartbeat query, and the client's own error and end events. */
function watchHold(client: pg.PoolClient, heartbeatMs: number): { lost: AbortSignal; stop: () => void } {
  const lost = new AbortController();
  const lose = (why: unknown) => {
    if (!lost.signal.aborted) lost.abort(new StoreUnreachableError(`the portal hold's database connection was lost: ${String(why)}`));
  };
  const onError = (error: Error) => lose(error.message);
  const onEnd = () => lose('connection ended');
  client.on('error', onError);
  client.on('end', onEnd);
  const timer = setInterval(() => {
    client.query('SELECT 1').catch((error: unknown) => lose(error instanceof Error ? error.message : error));
  }, heartbeatMs);
  timer.unref();
  return {
    lost: lost.signal,
    stop: () => {
      clearInterval(timer);
      client.off('error', onError);
      client.off('end', onEnd);
    },
  };
}

/**
 * Many processes on PostgreSQL: a session advisory lock on a connection kept for the job's duration. When a
 * worker dies (even by SIGKILL) its connection closes and PostgreSQL drops the lock at once. A holder that
 * hangs or is cut off is a lease: the session heartbeats every `heartbeatMs`, and PostgreSQL ends a session
 * silent for `leaseMs` (idle_session_timeout, TCP keepalives), so the portal is free again within 30 s.
 * The connection being killed under a live job aborts the hold's `lost` signal instead of crashing the process.
 */
export function createAdvisoryPortalLocks(
  databaseUrl: string,
  maxHolds = 16,
  timing: HoldLeaseTiming = defaultHoldLeaseTiming,
): PortalLocks {
  // allowExitOnIdle: an idle pool never keeps a process alive (the HTTP side's locks have no close hook).
  const pool = survivingConnectionLoss(
    new pg.Pool({
      connectionString: databaseUrl,
      max: maxHolds,
      connectionTimeoutMillis: 5000,
      allowExitOnIdle: true,
      keepAlive: true,
      keepAliveInitialDelayMillis: timing.heartbeatMs,
    }),
  );
  // Two-key form: the first key namespaces Closewise's portal locks away from any other advisory lock user.
  const lockSql = `SELECT pg_try_advisory_lock(hashtext('closewise.portal'), hashtext($1)) AS ok`;
  const unlockSql = `SELECT pg_advisory_unlock(hashtext('closewise.portal'), hashtext($1)) AS ok`;
  const connect = async () => {
    try {
      const client = await pool.connect();
      await client.query(leaseSettingsSql(timing.leaseMs)).catch((error: unknown) => {
        client.release(true);
        throw error;
      });
      return client;
    } catch (error) {
      throw asStoreError(error);
    }
  };
  return {
    async acquire(tenantId, options = {}) {
      const client = await connect();
      const hold = await pollFor(
        async () => {
          const result = await client.query<{ ok: boolean }>(lockSql, [tenantId]);
          if (!result.rows[0]?.ok) return null;
          const watch = watchHold(client, timing.heartbeatMs);
          let released = false;
          return {
            lost: watch.lost,
            async release() {
              if (released) return;
              released = true;
              watch.stop();
              if (watch.lost.aborted) return client.release(true);
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
        throw asStoreError(error);
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
