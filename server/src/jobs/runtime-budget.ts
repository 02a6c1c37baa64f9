import { hubSpotApiLimits } from '../connectors/hubspot/api-limits.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { PRIVATE_APP_BUDGET_PREFIX } from './hubspot-budget.ts';
import { type BudgetLimit, createMemoryRateBudget, createPostgresRateBudget, plannedLimit, type RateBudget } from './rate-budget.ts';
import type { JobSettings } from './settings.ts';

/**
 * The per-portal API budget everything in a process shares with everything else calling the same portals:
 * in PostgreSQL (job_rate_grants) when the store is, so `serve`'s webhook refreshes and every worker's jobs
 * draw on one budget; in memory on the embedded store, where this process is the only caller. A private app's
 * portal plans for its tier's limit (HUBSPOT_TIER), every other portal for the jobs' portal budget.
 */
export function createRuntimeRateBudget(runtime: Runtime, settings: JobSettings): RateBudget {
  const { safety } = settings.portalBudget;
  const standard = plannedLimit(settings.portalBudget, safety);
  const privateApp = plannedLimit(
    { requests: hubSpotApiLimits('private_app', runtime.config.HUBSPOT_TIER).tenSecondly, windowMs: 10_000 },
    safety,
  );
  const limits = (key: string): BudgetLimit => (key.startsWith(PRIVATE_APP_BUDGET_PREFIX) ? privateApp : standard);
  return runtime.store.engine === 'postgres' ? createPostgresRateBudget(runtime.store.db, limits) : createMemoryRateBudget(limits);
}
