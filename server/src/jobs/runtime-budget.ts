import type { Runtime } from '../runtime/runtime.ts';
import { createMemoryRateBudget, createPostgresRateBudget, plannedLimit, type RateBudget } from './rate-budget.ts';
import type { JobSettings } from './settings.ts';

/**
 * The per-portal API budget everything in a process shares with everything else calling the same portals:
 * in PostgreSQL (job_rate_grants) when the store is, so `serve`'s webhook refreshes and every worker's jobs
 * draw on one budget; in memory on the embedded store, where this process is the only caller.
 */
export function createRuntimeRateBudget(runtime: Runtime, settings: JobSettings): RateBudget {
  const limit = plannedLimit(settings.portalBudget, settings.portalBudget.safety);
  return runtime.store.engine === 'postgres' ? createPostgresRateBudget(runtime.store.db, limit) : createMemoryRateBudget(limit);
}
