import type { Kysely } from 'kysely';
import type { JobOutcome } from '../store/jobs-schema.ts';
import type { Database } from '../store/schema.ts';
import { endJobRun, failExpiredJobRuns, insertJobRun, type JobRunStart, renewJobRunLease } from '../store/tables/job-runs.ts';

export type RunStart = Omit<JobRunStart, 'leaseMs'>;

/** How an open run proves its worker is alive; tests shorten it. */
export interface RunLeaseTiming {
  /** The worker renews the run's lease this often while the job runs. */
  renewMs: number;
  /** A run not renewed for this long is taken for dead and closed as failed. */
  leaseMs: number;
}

export const defaultRunLeaseTiming: RunLeaseTiming = { renewMs: 10_000, leaseMs: 30_000 };

/** What a dead worker's runs say in the log and in `closewise status`. */
export const DEAD_WORKER_REASON = 'the worker stopped renewing this run (it died or lost the database); the job is retried';

/**
 * The log of job runs in the store. A run's row is written after its portal hold is taken and closed
 * before the hold is released, so the logged intervals lie inside the real holds: overlapping intervals
 * for one portal in this log would prove a broken hold.
 *
 * Every open row carries a lease its worker renews (`renewWhileRunning`); a row whose lease ran out belongs
 * to a dead worker and is closed as failed by `failDeadRuns`, which engines call periodically and
 * `closewise status` calls before it reads.
 */
export class RunLog {
  readonly #db: Kysely<Database>;
  readonly #timing: RunLeaseTiming;
  constructor(db: Kysely<Database>, timing: RunLeaseTiming = defaultRunLeaseTiming) {
    this.#db = db;
    this.#timing = timing;
  }

  async start(run: RunStart): Promise<number> {
    return insertJobRun(this.#db, { ...run, leaseMs: this.#timing.leaseMs });
  }

  /** Renews the run's lease until the returned stop is called; a failed renewal is retried on the next tick. */
  renewWhileRunning(runId: number, onError: (error: unknown) => void): () => void {
    const timer = setInterval(() => {
      renewJobRunLease(this.#db, runId, this.#timing.leaseMs).catch(onError);
    }, this.#timing.renewMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  async end(runId: number, outcome: JobOutcome, error?: string): Promise<void> {
    await endJobRun(this.#db, runId, outcome, error);
  }

  /** Closes the runs of dead workers as failed; resolves with how many. */
  failDeadRuns(): Promise<number> {
    return failExpiredJobRuns(this.#db, DEAD_WORKER_REASON);
  }

  /** A job that never ran (its payload was rejected) still leaves a row, so the status shows why. */
  async rejected(run: Omit<RunStart, 'holdsPortal'>, reason: string): Promise<void> {
    const id = await this.start({ ...run, holdsPortal: false });
    await this.end(id, 'dead_letter', reason);
  }

  /** A job that gave up waiting for its busy portal; it held nothing, so its row is an instant. */
  async skipped(run: Omit<RunStart, 'holdsPortal'>, reason: string): Promise<void> {
    const id = await this.start({ ...run, holdsPortal: false });
    await this.end(id, 'skipped', reason);
  }
}

/** Closes dead workers' runs every `intervalMs` (errors are the caller's to log); returns the stop. */
export function failDeadRunsEvery(runLog: RunLog, intervalMs: number, onError: (error: unknown) => void): () => void {
  const timer = setInterval(() => {
    runLog.failDeadRuns().catch(onError);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
