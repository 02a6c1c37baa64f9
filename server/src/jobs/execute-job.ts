import type { Logger } from '../logging/logger.ts';
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

/**
 * Runs one delivered job the same way under both engines: validate, hold the portal if the type needs it,
 * log the run, call the handler, log the outcome, release. Throws when the engine should retry.
 * An invalid payload throws InvalidJobPayloadError, which engines dead-letter without retrying.
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
    const context: JobContext = {
      jobId: job.id,
      type: job.type,
      attempt: job.attempt,
      signal: job.signal,
      logger: deps.logger.child({ jobId: job.id, jobType: job.type, tenantId: payload.tenantId }),
      enqueue: deps.enqueue,
    };
    try {
      await handler(payload, context);
    } catch (error) {
      const outcome = job.signal.aborted ? 'released' : job.finalAttempt ? 'dead_letter' : 'failed';
      await deps.runLog.end(runId, outcome, describe(error));
      throw error;
    }
    await deps.runLog.end(runId, 'completed');
  } finally {
    await hold?.release();
  }
}
