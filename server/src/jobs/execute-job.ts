import type { Logger } from '../logging/logger.ts';
import { isLostConnection } from '../store/lost-connection.ts';
import { InvalidJobPayloadError, PortalBusyError } from './job-errors.ts';
import { type JobPayloads, type JobType, jobPayloadSchemas, jobTypePolicies } from './job-types.ts';
import type { PortalLocks } from './portal-locks.ts';
import type { Enqueue, JobContext, JobHandler, JobHandlers } from './registry.ts';
import type { RunLog } from './run-log.ts';

export interface ExecutorDeps {
  handlers: JobHandlers;
  locks: PortalLocks;
  runLog: RunLog;
  logger: Logger;
  /** Names this process in the run log (host:pid or a test's label). */
  worker: string;
  enqueue: Enqueue;
  /** How long a portal-holding job waits for a busy portal before giving the slot back. */
  holdWaitMs: number;
}

export interface JobDelivery {
  id: string;
  type: JobType;
  data: unknown;
  /** 0 on the first attempt. */
  attempt: number;
  /** No retry follows a failure of this attempt: a failure is a dead letter. */
  finalAttempt: boolean;
  signal: AbortSignal;
}

/** Reads a payload as its job type demands; the reason names the offending field. */
export function validatePayload<T extends JobType>(type: T, data: unknown): JobPayloads[T] {
  const parsed = jobPayloadSchemas[type].safeParse(data);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
    throw new InvalidJobPayloadError(type, reason);
  }
  return parsed.data as JobPayloads[T];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Retries of one attempt through a lost database connection; with the backoff below, about three minutes. */
const STORE_RETRIES = 20;

/** 0.5 s doubling to 10 s, with jitter so workers that lost the database together do not return together. */
function storeBackoffMs(retry: number): number {
  return Math.min(10_000, 500 * 2 ** retry) * (0.75 + Math.random() / 2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A run's closing write, retried through a short outage: a job that did its work should not read as failed. */
async function endRun(deps: ExecutorDeps, runId: number, signal: AbortSignal): Promise<void> {
  for (let retry = 0; ; retry++) {
    try {
      return await deps.runLog.end(runId, 'completed');
    } catch (error) {
      // Past this, the run's lease runs out and the log closes it as failed; the job itself did complete.
      if (!isLostConnection(error) || retry >= 8) throw error;
      await sleep(storeBackoffMs(retry), signal);
    }
  }
}

/**
 * One try of the job: hold the portal if the type needs it, log the run (its lease renewed while it runs),
 * call the handler, log the outcome, release. The handler's signal also aborts when the portal hold is lost.
 */
async function runUnderHold(
  deps: ExecutorDeps,
  job: JobDelivery,
  payload: JobPayloads[JobType],
  handler: JobHandler<JobType>,
): Promise<void> {
  const base = { jobId: job.id, type: job.type, worker: deps.worker, attempt: job.attempt };
  const policy = jobTypePolicies[job.type];
  const hold = policy.holdsPortal ? await deps.locks.acquire(payload.tenantId, { waitMs: deps.holdWaitMs, signal: job.signal }) : null;
  if (policy.holdsPortal && !hold) {
    const busy = new PortalBusyError(payload.tenantId);
    if (!job.finalAttempt) throw busy;
    // A portal busy through every retry is held by a long job of another type (a retrain during the sync
    // schedule). This run is skipped, not dead-lettered: the next schedule tick runs it again.
    await deps.runLog.skipped({ ...base, tenantId: payload.tenantId }, busy.message);
    deps.logger.warn({ jobId: job.id, type: job.type, tenantId: payload.tenantId }, 'portal stayed busy; job skipped until its next run');
    return;
  }
  try {
    const runId = await deps.runLog.start({ ...base, tenantId: payload.tenantId, holdsPortal: policy.holdsPortal });
    const logger = deps.logger.child({ jobId: job.id, jobType: job.type, tenantId: payload.tenantId });
    const stopRenewing = deps.runLog.renewWhileRunning(runId, (error) => logger.warn({ err: error }, 'job run lease renewal failed'));
    const signal = hold ? AbortSignal.any([job.signal, hold.lost]) : job.signal;
    const context: JobContext = { jobId: job.id, type: job.type, attempt: job.attempt, signal, logger, enqueue: deps.enqueue };
    try {
      await handler(payload, context);
    } catch (error) {
      // A lost hold is why the handler stopped (or whatever it hit next): report that, so the try is repeated.
      const cause = hold?.lost.aborted ? hold.lost.reason : error;
      const outcome = job.signal.aborted ? 'released' : isLostConnection(cause) || !job.finalAttempt ? 'failed' : 'dead_letter';
      // With the database gone this write fails too; the run's lease then runs out and the log closes it as failed.
      await deps.runLog.end(runId, outcome, describe(cause)).catch(() => undefined);
      throw cause;
    } finally {
      stopRenewing();
    }
    await endRun(deps, runId, job.signal);
  } finally {
    await hold?.release();
  }
}

/**
 * Runs one delivered job the same way under both engines: validate, then hold, log, run, release
 * (runUnderHold). Throws when the engine should retry. An invalid payload throws InvalidJobPayloadError,
 * which engines dead-letter without retrying.
 *
 * A lost database connection (a StoreUnreachableError from the store, a portal hold whose connection died)
 * does not spend one of the engine's retries, which are minutes apart: the try is repeated here after a short
 * backoff, up to STORE_RETRIES times, since the work resumes from what the store last committed (sync
 * checkpoints, pending score writes). Only a longer outage fails the attempt.
 */
export async function executeJob(deps: ExecutorDeps, job: JobDelivery): Promise<void> {
  const base = { jobId: job.id, type: job.type, worker: deps.worker, attempt: job.attempt };
  let payload: JobPayloads[JobType];
  try {
    payload = validatePayload(job.type, job.data);
  } catch (error) {
    const tenantId =
      typeof (job.data as { tenantId?: unknown })?.tenantId === 'string' ? (job.data as { tenantId: string }).tenantId : null;
    await deps.runLog.rejected({ ...base, tenantId }, describe(error));
    deps.logger.warn({ jobId: job.id, type: job.type, reason: describe(error) }, 'job payload rejected; dead-lettered');
    throw error;
  }
  const handler = deps.handlers[job.type] as JobHandler<JobType> | undefined;
  if (!handler) throw new Error(`no handler registered for job type '${job.type}'`);

  for (let retry = 0; ; retry++) {
    try {
      return await runUnderHold(deps, job, payload, handler);
    } catch (error) {
      if (!isLostConnection(error) || job.signal.aborted || retry >= STORE_RETRIES) throw error;
      const delayMs = Math.round(storeBackoffMs(retry));
      deps.logger.warn(
        { jobId: job.id, type: job.type, retry: retry + 1, delayMs, reason: describe(error) },
        'database lost mid-job; repeating it',
      );
      await sleep(delayMs, job.signal);
    }
  }
}
