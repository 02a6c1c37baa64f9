import type { Runtime } from '../runtime/runtime.ts';
import type { JobEngine } from './engine.ts';
import { InProcessEngine } from './in-process-engine.ts';
import { createAdvisoryPortalLocks } from './portal-locks.ts';
import { createMemoryRateBudget, createPostgresRateBudget, plannedLimit } from './rate-budget.ts';
import type { JobHandlers } from './registry.ts';
import { loadJobSettings } from './settings.ts';

export interface EmbeddedJobsOptions {
  /** Handlers to run; the production ones (connectors and scoring) by default. */
  handlers?: JobHandlers;
}

/**
 * Runs the schedules inside `closewise serve` when the store is embedded (PGlite): one process, node-cron,
 * in-memory queue. With DATABASE_URL the jobs belong to `closewise worker` processes and this returns null
 * (set CLOSEWISE_JOBS=embedded to run them in serve anyway, e.g. a single small PostgreSQL install;
 * CLOSEWISE_JOBS=off disables them).
 *
 * The engine is stopped by `runtime.close()` (wrapped here), before the store closes, so serve.ts needs
 * only the one call: `await startEmbeddedJobs(runtime, io.env);`
 */
export async function startEmbeddedJobs(
  runtime: Runtime,
  env: NodeJS.ProcessEnv,
  options: EmbeddedJobsOptions = {},
): Promise<JobEngine | null> {
  const mode = env.CLOSEWISE_JOBS ?? (runtime.store.engine === 'pglite' ? 'embedded' : 'workers');
  if (mode !== 'embedded') return null;
  const settings = loadJobSettings(env);
  const db = runtime.store.db;
  const limit = plannedLimit(settings.portalBudget, settings.portalBudget.safety);
  const budget = runtime.store.engine === 'postgres' ? createPostgresRateBudget(db, limit) : createMemoryRateBudget(limit);
  const handlers =
    options.handlers ??
    // Loaded on use: scoring is heavy, and a serve without jobs should not pay for it.
    (await import('./real-handlers.ts')).createRuntimeHandlers(runtime, budget);
  // On PostgreSQL, workers may run beside this process: hold portals where they look for holds.
  const databaseUrl = runtime.config.DATABASE_URL;
  const locks =
    runtime.store.engine === 'postgres' && databaseUrl ? createAdvisoryPortalLocks(databaseUrl, settings.concurrency) : undefined;
  const engine = new InProcessEngine({ db, handlers, settings, logger: runtime.logger, ...(locks ? { locks } : {}) });
  await engine.start();
  const closeStore = runtime.close;
  runtime.close = async () => {
    await engine.stop({ graceMs: 30_000 });
    await closeStore();
  };
  return engine;
}
