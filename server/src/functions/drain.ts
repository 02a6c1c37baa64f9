import { CompiledQuery } from 'kysely';
import type { JobWithMetadata } from 'pg-boss';
import { executeJob } from '../jobs/execute-job.ts';
import { InvalidJobPayloadError } from '../jobs/job-errors.ts';
import { coalesceKey, type JobPayloads, type JobType, jobTypePolicies } from '../jobs/job-types.ts';
import { queueOf } from '../jobs/pg-boss-engine.ts';
import { createAdvisoryPortalLocks } from '../jobs/portal-locks.ts';
import type { JobHandler, JobHandlers } from '../jobs/registry.ts';
import { RunLog } from '../jobs/run-log.ts';
import { expectedDurationMs } from './expected-duration.ts';
import type { FunctionQueue } from './function-queue.ts';
import type { FunctionRuntime } from './function-runtime.ts';
import { affectedCount, keepClaim } from './job-claim.ts';

/**
 * The order a drain takes queues in: a webhook's few records first (a rep is looking at them), then what
 * rewrites a portal (sync before the scoring that reads it), then the write-backs the scoring queued.
 */
export const DRAIN_ORDER: readonly JobType[] = ['record-rescore', 'sync', 'retrain', 'rescore', 'write-back'];
/** No job is started with less than this left: it could not do useful work before being stopped. */
const MIN_START_MS = 1_000;
/** Kept back from the budget to hand an interrupted job back before the platform's timeout. */
const HAND_BACK_MS = 500;
/**
 * Jobs that take no stop signal (CPU work on the store): once started they run to the end, past the budget
 * if they must. One is started only when its expected duration (expected-duration.ts) fits what is left,
 * or, never run yet, when half the budget is, or when it is the invocation's first job; otherwise it waits
 * for the next invocation's full budget.
 */
const UNSTOPPABLE: ReadonlySet<JobType> = new Set(['rescore', 'retrain']);

export interface DrainResult {
  completed: number;
  /** Jobs stopped by the budget and queued again to carry on in the next invocation. */
  continued: number;
  /** Unstoppable jobs (scoring, training) left queued because they would not fit what was left of the budget. */
  deferred: number;
  failed: number;
  /** True when every queue was empty before the budget ran out. */
  drained: boolean;
  elapsedMs: number;
}

type Outcome = 'completed' | 'continued' | 'failed';

/**
 * One drain invocation: fetches queued jobs one at a time, runs each through the same executor as the
 * workers (validation, portal hold, run log, the production handlers), and stops when the queues are
 * empty or the budget is spent. At the budget the running job's signal aborts: a sync stops at its next
 * HubSpot call with its full-sync positions already stored (sync-position.ts), a write-back with its
 * confirmed batches in the write log, so the next run carries on from there. Such a job is handed back by
 * completing this attempt and queuing the same payload in one transaction: it is never lost, and being cut
 * short by the budget does not count against its retries. Scoring and training take no signal (they are
 * CPU work on the store): one is started only if it is expected to fit what is left (UNSTOPPABLE), and one
 * that runs past the budget anyway finishes and is completed, not redone. A job that fails for a real reason is failed in pg-boss, which retries it with backoff and
 * dead-letters it after its retry limit, as under `closewise worker`.
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
  const result: DrainResult = { completed: 0, continued: 0, deferred: 0, failed: 0, drained: false, elapsedMs: 0 };
  // Types with a job left for the next invocation: not fetched again in this one (it would be the same job).
  const deferredTypes = new Set<JobType>();
  // Which jobs' handlers returned: one that did its work is completed even if the budget ran out meanwhile.
  const finished = new Set<string>();
  const handlers = noteFinished(deps.handlers, finished);

  const fetchNext = async (): Promise<{ type: JobType; job: JobWithMetadata<unknown> } | null> => {
    for (const type of DRAIN_ORDER) {
      if (!deps.handlers[type] || deferredTypes.has(type)) continue;
      const [job] = await boss.fetch<unknown>(queueOf(type), { batchSize: 1, includeMetadata: true });
      if (job) return { type, job };
    }
    return null;
  };

  const runOne = async (type: JobType, job: JobWithMetadata<unknown>): Promise<Outcome> => {
    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(new Error('drain budget spent')), Math.max(0, deadline - Date.now()));
    let claimLost = false;
    const stopHeartbeat = keepClaim(boss, queueOf(type), job, () => {
      claimLost = true;
      budget.abort(new Error('the job’s pg-boss claim lapsed; pg-boss retries it'));
    });
    try {
      await executeJob(
        {
          handlers,
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
      if (claimLost) return lapsed(type, job);
      // Returned without its handler finishing only when the budget cut the wait for the portal's hold short.
      if (finished.has(job.id) || !budget.signal.aborted) {
        await boss.complete(queueOf(type), job.id);
        return 'completed';
      }
    } catch (error) {
      if (claimLost) return lapsed(type, job);
      if (!budget.signal.aborted || error instanceof InvalidJobPayloadError) {
        const reason = error instanceof Error ? error.message : String(error);
        await boss.fail(queueOf(type), job.id, { reason });
        return 'failed';
      }
    } finally {
      clearTimeout(timer);
      stopHeartbeat();
      finished.delete(job.id);
    }
    // Stopped by the budget: carry on next time from what the job stored.
    return (await handBack(type, job)) ? 'continued' : lapsed(type, job);
  };

  /** First job of the invocation: a full budget is the most any invocation has, so it starts whatever its size. */
  const fitsBudget = async (type: JobType): Promise<boolean> => {
    if (result.completed + result.continued + result.failed === 0) return true;
    const expected = (await expectedDurationMs(deps.runtime.store.db, type)) ?? options.budgetMs / 2;
    return deadline - Date.now() >= expected;
  };

  /** pg-boss took the job back (its heartbeat went stale): it retries it; this invocation settles nothing. */
  const lapsed = (type: JobType, job: JobWithMetadata<unknown>): Outcome => {
    deps.runtime.logger.warn({ jobId: job.id, type }, 'drain lost the claim of a running job; pg-boss retries it');
    return 'failed';
  };

  /**
   * Completes this attempt and queues its payload again, atomically: one transaction on the store's pool.
   * False when the attempt was no longer ours to complete (pg-boss already retried it): nothing is queued then.
   */
  const handBack = async (type: JobType, job: JobWithMetadata<unknown>): Promise<boolean> => {
    const payload = job.data as JobPayloads[JobType];
    const options = jobTypePolicies[type].coalesce ? { singletonKey: coalesceKey(type, payload) } : {};
    return deps.runtime.store.db.transaction().execute(async (trx) => {
      const db = {
        executeSql: async (text: string, values: unknown[] = []) => {
          const { rows, numAffectedRows } = await trx.executeQuery(CompiledQuery.raw(text, values));
          return { rows, rowCount: Number(numAffectedRows ?? rows.length) };
        },
      };
      if (affectedCount(await boss.complete(queueOf(type), job.id, { continued: true }, { db })) === 0) return false;
      // Null only when the same portal's job is already queued again (coalesced): the work still happens.
      await boss.send(queueOf(type), payload, { ...options, db });
      return true;
    });
  };

  try {
    while (deadline - Date.now() >= MIN_START_MS) {
      const next = await fetchNext();
      if (!next) {
        result.drained = deferredTypes.size === 0;
        break;
      }
      if (UNSTOPPABLE.has(next.type) && !(await fitsBudget(next.type))) {
        deferredTypes.add(next.type);
        result[(await handBack(next.type, next.job)) ? 'deferred' : lapsed(next.type, next.job)] += 1;
        continue;
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

/** The same handlers, each noting its job's id in `finished` when it returns. */
function noteFinished(handlers: JobHandlers, finished: Set<string>): JobHandlers {
  const noted: JobHandlers = {};
  for (const type of Object.keys(handlers) as JobType[]) {
    const handler = handlers[type] as JobHandler<JobType> | undefined;
    if (!handler) continue;
    const wrapped: JobHandler<JobType> = async (payload, context) => {
      await handler(payload, context);
      finished.add(context.jobId);
    };
    Object.assign(noted, { [type]: wrapped });
  }
  return noted;
}
