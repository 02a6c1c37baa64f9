import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { trimOldGrants, withBudgetWindow } from '../store/tables/job-rate-grants.ts';

/** Limit of one budget: at most `requests` in any rolling `windowMs`. */
export interface BudgetLimit {
  requests: number;
  windowMs: number;
}

/**
 * A rate-limit budget per key (one key per CRM portal), shared by everything that calls that portal.
 * `take` resolves when the caller may send `cost` requests now.
 */
export interface RateBudget {
  take(key: string, cost?: number, signal?: AbortSignal): Promise<void>;
}

/** One limit for every key, or a limit per key (portals of different kinds of app or tiers). */
export type BudgetLimits = BudgetLimit | ((key: string) => BudgetLimit);

const limitOf = (limits: BudgetLimits, key: string): BudgetLimit => (typeof limits === 'function' ? limits(key) : limits);

/** Planned limit: the CRM's limit times a safety share, never below one request. */
export function plannedLimit(crmLimit: BudgetLimit, safety: number): BudgetLimit {
  return { requests: Math.max(1, Math.floor(crmLimit.requests * safety)), windowMs: crmLimit.windowMs };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One process (the embedded engine): a sliding-window log in memory. */
/** `onGrant` observes each grant at the moment the budget makes it (tests check windows against it). */
export function createMemoryRateBudget(limits: BudgetLimits, onGrant?: (key: string, at: number, cost: number) => void): RateBudget {
  const grants = new Map<string, { at: number; cost: number }[]>();
  return {
    async take(key, cost = 1, signal) {
      signal?.throwIfAborted();
      const limit = limitOf(limits, key);
      for (;;) {
        const now = Date.now();
        const log = (grants.get(key) ?? []).filter((g) => g.at > now - limit.windowMs);
        const used = log.reduce((sum, g) => sum + g.cost, 0);
        if (used + cost <= limit.requests) {
          log.push({ at: now, cost });
          grants.set(key, log);
          onGrant?.(key, now, cost);
          return;
        }
        grants.set(key, log);
        await sleep(waitFor(log, used + cost - limit.requests, now, limit.windowMs), signal);
      }
    },
  };
}

/** How long until enough of the oldest grants leave the window to free `excess` requests. */
function waitFor(log: { at: number; cost: number }[], excess: number, now: number, windowMs: number): number {
  let freed = 0;
  for (const grant of log) {
    freed += grant.cost;
    if (freed >= excess) return Math.max(1, grant.at + windowMs - now + 1);
  }
  return windowMs;
}

/**
 * Many workers on PostgreSQL: a sliding-window log in `job_rate_grants`, one transaction per grant,
 * serialised per key by a transaction-scoped advisory lock (released on commit, or by PostgreSQL if
 * the worker dies). Time is the database's clock, the one clock every worker shares.
 */
export function createPostgresRateBudget(db: Kysely<Database>, limits: BudgetLimits): RateBudget {
  let grantsSinceCleanup = 0;
  return {
    async take(key, cost = 1, signal) {
      const limit = limitOf(limits, key);
      if (cost > limit.requests) throw new RangeError(`cost ${cost} exceeds the budget of ${limit.requests}`);
      // A job given up (shutdown, a drain's spent budget) stops at its next request, not only when it must wait.
      signal?.throwIfAborted();
      for (;;) {
        const waitMs = await withBudgetWindow(db, key, limit.windowMs, (now, entries) => {
          const used = entries.reduce((sum, g) => sum + g.cost, 0);
          if (used + cost <= limit.requests) return { grant: cost, result: 0 };
          return { grant: null, result: waitFor(entries, used + cost - limit.requests, now.getTime(), limit.windowMs) };
        });
        if (waitMs === 0) {
          // Old grants are only history; trim them now and then rather than on every request.
          grantsSinceCleanup += 1;
          if (grantsSinceCleanup >= 500) {
            grantsSinceCleanup = 0;
            await trimOldGrants(db, key);
          }
          return;
        }
        await sleep(waitMs, signal);
      }
    },
  };
}
