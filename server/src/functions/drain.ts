import { CompiledQuery } from 'kysely';
import type { JobWithMetadata } from 'pg-boss';
import { executeJob } from '../jobs/execute-job.ts';
import { InvalidJobPayloadError } from '../jobs/job-errors.ts';
import { coalesceKey, type JobPayloads, type JobType, jobTypePolicies } from '../jobs/job-types.ts';
import { queueOf } from '../jobs/pg-boss-engine.ts';
import { createAdvisoryPortalLocks } from '../jobs/portal-locks.ts';
import type { JobHandlers } from '../jobs/registry.ts';
import { RunLog } from '../jobs/run-log.ts';
import type { FunctionQueue } from './function-queue.ts';
import type { FunctionRuntime } from './function-runtime.ts';

/**
 * The order a drain takes queues in: a webhook's few records first (a rep is looking at them), then what
 * rewrites a portal (sync before the scoring that reads it), then the write-backs the scoring queued.
 */
export const DRAIN_ORDER: readonly JobType[] = ['record-rescore', 'sync', 'retrain', 'rescore', 'write-back'];
/** No job is started with less than this left: it could not do useful work before being stopped. */
const MIN_START_MS = 1_000;
/** Kept back from the budget to hand an interrupted job back before the platform's timeout. */
const HAND_BACK_MS = 500;

export interface DrainResult {
  completed: number;
  /** Jobs stopped by the budget and queued again to carry on in the next invocation. */
  continued: number;
  failed: number;
  /** True when every queue was empty before the budget ran out. */
  drained: boolean;
  elapsedMs: number;
}

type Outcome = 'completed' | 'continued' | 'failed';

/**
 * One drain invocation: fetches queued jobs one at a time, runs each through the same executor as the
 * workers (validation, portal hold, run log, the production handlers), and stops when the queues are
 * empty or the budget is spent. A job the budget interrupts is checkpointed by its own handler (a sync
 * stores its cursors as it goes; rescoring and write-back are idempotent) and handed back by completing
 * this attempt and queuing the same payload in one transaction: it is never lost, and being cut short by
 * the budget does not count against its retries. A job that fails for a real reason is failed in pg-boss,
 * which retries it with backoff and dead-letters it after its retry limit, as under `closewise worker`.
 */
export async function drainQueues(
  deps: { runtime: FunctionRuntime; queue: FunctionQueue; handlers: JobHandlers; worker: string },
  options: { budgetMs: number },
): Promise<DrainResult> {
  const started = Date.now();
  const deadline = started + options.budgetMs - HAND_BACK_MS;
  const engine = await deps.queue.engine();
  const { boss } = engine;
  const locks = createAdvisoryPortalLocks(deps.runtime.config.DATABASE_URL, 1);
  const runLog = new RunLog(deps.runtime.store.db);
  const result: DrainResult = { completed: 0, continued: 0, failed: 0, drained: false, elapsedMs: 0 };

  const fetchNext = async (): Promise<{ type: JobType; job: JobWithMetadata<unknown> } | null> => {
    for (const type of DRAIN_ORDER) {
      if (!deps.handlers[type]) continue;
      const [job] = await boss.fetch<unknown>(queueOf(type), { batchSize: 1, includeMetadata: true });
      if (job) return { type, job };
    }
    return null;
  };

  const runOne = async (type: JobType, job: JobWithMetadata<unknown>): Promise<Outcome> => {
    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(new Error('drain budget spent')), Math.max(0, deadline - Date.now()));
    try {
      await executeJob(
        {
          handlers: deps.handlers,
          locks,
          runLog,
          logger: deps.runtime.logger,
          worker: deps.worker,
          enqueue: (t, p) => engine.enqueue(t, p),
          holdWaitMs: 2_000,
        },
        {
          id: job.id,
          type,
          data: job.data,
          attempt: job.retryCount,
          finalAttempt: job.retryCount >= job.retryLimit,
          signal: budget.signal,
        },
      );
      if (!budget.signal.aborted) {
        await boss.complete(queueOf(type), job.id);
        return 'completed';
      }
    } catch (error) {
      if (!budget.signal.aborted || error instanceof InvalidJobPayloadError) {
        const reason = error instanceof Error ? error.message : String(error);
        await boss.fail(queueOf(type), job.id, { reason });
        return 'failed';
      }
    } finally {
      clearTimeout(timer);
    }
    // Stopped by the budget (whether the handler threw or returned at its next safe point): carry on next time.
    await handBack(type, job);
    return 'continued';
  };

  /** Completes this attempt and queues its payload again, atomically: one transaction on the store's pool. */
  const handBack = async (type: JobType, job: JobWithMetadata<unknown>): Promise<void> => {
    const payload = job.data as JobPayloads[JobType];
    const options = jobTypePolicies[type].coalesce ? { singletonKey: coalesceKey(type, payload) } : {};
    await deps.runtime.store.db.transaction().execute(async (trx) => {
      const db = {
        executeSql: async (text: string, values: unknown[] = []) => {
          const { rows, numAffectedRows } = await trx.executeQuery(CompiledQuery.raw(text, values));
          return { rows, rowCount: Number(numAffectedRows ?? rows.length) };
        },
      };
      await boss.complete(queueOf(type), job.id, { continued: true }, { db });
      await boss.send(queueOf(type), payload, { ...options, db });
    });
  };

  try {
    while (deadline - Date.now() >= MIN_START_MS) {
      const next = await fetchNext();
      if (!next) {
        result.drained = true;
        break;
      }
      result[await runOne(next.type, next.job)] += 1;
    }
  } finally {
    await locks.close();
  }
  result.elapsedMs = Date.now() - started;
  deps.runtime.logger.info(result, 'drain finished');
  return result;
}
