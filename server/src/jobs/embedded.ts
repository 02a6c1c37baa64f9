import type { Runtime } from '../runtime/runtime.ts';
import type { JobEngine } from './engine.ts';
import { InProcessEngine } from './in-process-engine.ts';
import { createAdvisoryPortalLocks } from './portal-locks.ts';
import type { RateBudget } from './rate-budget.ts';
import type { JobHandlers } from './registry.ts';
import { createRuntimeRateBudget } from './runtime-budget.ts';
import { loadJobSettings } from './settings.ts';

export interface EmbeddedJobsOptions {
  /** Handlers to run; the production ones (connectors and scoring) by default. */
  handlers?: JobHandlers;
  /** The process's shared per-portal budget; one of its own by default. */
  budget?: RateBudget;
}

/**
 * The jobs of `closewise serve`. On the embedded store (PGlite) it runs them itself: node-cron schedules
 * and an in-memory queue. With DATABASE_URL the jobs belong to `closewise worker` processes, and serve only
 * queues them (OAuth installs queue the first sync, webhooks queue record rescoring) through a pg-boss
 * engine that works no queue and registers no schedule. CLOSEWISE_JOBS=embedded runs them in serve anyway
 * (a single small PostgreSQL install); CLOSEWISE_JOBS=off disables them, queuing included.
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
  if (mode === 'off') return null;
  const settings = loadJobSettings(env);
  const databaseUrl = runtime.config.DATABASE_URL;
  const engine =
    mode === 'embedded' || runtime.store.engine !== 'postgres' || !databaseUrl
      ? await inProcessEngine(runtime, settings, options)
      : await queueOnlyEngine(runtime, databaseUrl, settings);
  await engine.start();
  const closeStore = runtime.close;
  runtime.close = async () => {
    await engine.stop({ graceMs: 30_000 });
    await closeStore();
  };
  return engine;
}

async function inProcessEngine(
  runtime: Runtime,
  settings: ReturnType<typeof loadJobSettings>,
  options: EmbeddedJobsOptions,
): Promise<JobEngine> {
  const db = runtime.store.db;
  const budget = options.budget ?? createRuntimeRateBudget(runtime, settings);
  const handlers =
    options.handlers ??
    // Loaded on use: scoring is heavy, and a serve without jobs should not pay for it.
    (await import('./real-handlers.ts')).createRuntimeHandlers(runtime, budget);
  // On PostgreSQL, workers may run beside this process: hold portals where they look for holds.
  const databaseUrl = runtime.config.DATABASE_URL;
  const locks =
    runtime.store.engine === 'postgres' && databaseUrl ? createAdvisoryPortalLocks(databaseUrl, settings.concurrency) : undefined;
  return new InProcessEngine({ db, handlers, settings, logger: runtime.logger, ...(locks ? { locks } : {}) });
}

/** Produces jobs for the workers: the same queues, policies and payload checks, no work and no schedules here. */
async function queueOnlyEngine(runtime: Runtime, databaseUrl: string, settings: ReturnType<typeof loadJobSettings>): Promise<JobEngine> {
  const { PgBossEngine } = await import('./pg-boss-engine.ts');
  return new PgBossEngine({
    databaseUrl,
    db: runtime.store.db,
    handlers: {},
    settings,
    logger: runtime.logger,
    work: false,
    registerSchedules: false,
  });
}
