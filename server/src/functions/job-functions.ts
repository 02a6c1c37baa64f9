import { defaultWorkerName } from '../jobs/engine.ts';
import { createPostgresRateBudget, plannedLimit } from '../jobs/rate-budget.ts';
import { type DrainResult, drainQueues } from './drain.ts';
import { createFunctionQueue } from './function-queue.ts';
import { openFunctionRuntime } from './function-runtime.ts';
import { runScheduleTick, type TickResult } from './schedule-tick.ts';

export interface JobFunctions {
  /** Enqueues the jobs due in the minute of `at` (once per minute however often it is called). */
  tick(at: Date): Promise<TickResult>;
  /** Runs queued jobs for up to `budgetMs`, leaving the rest queued. */
  drain(budgetMs: number): Promise<DrainResult>;
  /** The configured drain budget (CLOSEWISE_DRAIN_BUDGET_SECONDS) in ms. */
  budgetMs: number;
  close(): Promise<void>;
}

/**
 * The scheduled and drain functions of one instance: the function runtime (PostgreSQL, small pool), the
 * pg-boss queues, and the production job handlers behind the portal's shared API budget — the same ones
 * `closewise worker` runs (jobs/real-handlers.ts), loaded here because these functions exist to run them.
 */
export async function createJobFunctions(env: NodeJS.ProcessEnv): Promise<JobFunctions> {
  const runtime = await openFunctionRuntime(env);
  const { createRuntimeHandlers } = await import('../jobs/real-handlers.ts');
  const settings = createFunctionQueue(runtime, env).settings;
  const budget = createPostgresRateBudget(runtime.store.db, plannedLimit(settings.portalBudget, settings.portalBudget.safety));
  const handlers = createRuntimeHandlers(runtime, budget);
  const queue = createFunctionQueue(runtime, env, handlers);
  const worker = `function:${defaultWorkerName()}`;
  return {
    budgetMs: runtime.config.CLOSEWISE_DRAIN_BUDGET_SECONDS * 1000,
    tick: (at) => runScheduleTick({ queue, db: runtime.store.db, logger: runtime.logger }, at),
    drain: (budgetMs) => drainQueues({ runtime, queue, handlers, worker }, { budgetMs }),
    async close() {
      await queue.stop();
      await runtime.close();
    },
  };
}
