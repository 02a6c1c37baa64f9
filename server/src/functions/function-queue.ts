import type { PgBossEngine } from '../jobs/pg-boss-engine.ts';
import type { JobHandlers } from '../jobs/registry.ts';
import { loadJobSettings } from '../jobs/settings.ts';
import type { FunctionRuntime } from './function-runtime.ts';

/**
 * The pg-boss queues as a function sees them: it sends jobs and (the drain) fetches them itself, so the
 * engine neither polls (`work: false`) nor keeps cron schedules (`registerSchedules: false`: in function
 * mode EventBridge Scheduler or Cloud Scheduler is the clock). Started on first use: a card read never
 * pays for pg-boss's start (its schema check and queue upserts).
 */
export function createFunctionQueue(runtime: FunctionRuntime, env: NodeJS.ProcessEnv, handlers: JobHandlers = {}) {
  let started: Promise<PgBossEngine> | undefined;
  const settings = loadJobSettings({ ...env, CLOSEWISE_WORKER_CONCURRENCY: env.CLOSEWISE_WORKER_CONCURRENCY ?? '1' });
  const open = async () => {
    const { PgBossEngine } = await import('../jobs/pg-boss-engine.ts');
    const engine = new PgBossEngine({
      databaseUrl: runtime.config.DATABASE_URL,
      db: runtime.store.db,
      handlers,
      settings,
      logger: runtime.logger,
      work: false,
      registerSchedules: false,
    });
    await engine.start();
    return engine;
  };
  return {
    settings,
    engine(): Promise<PgBossEngine> {
      started ??= open().catch((error: unknown) => {
        started = undefined;
        throw error;
      });
      return started;
    },
    async stop(): Promise<void> {
      if (started) await (await started.catch(() => null))?.stop({ graceMs: 0 });
      started = undefined;
    },
  };
}

export type FunctionQueue = ReturnType<typeof createFunctionQueue>;
