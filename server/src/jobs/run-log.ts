import type { Kysely } from 'kysely';
import type { JobOutcome } from '../store/jobs-schema.ts';
import type { Database } from '../store/schema.ts';
import { endJobRun, insertJobRun, type JobRunStart } from '../store/tables/job-runs.ts';

export type RunStart = JobRunStart;

/**
 * The log of job runs in the store. A run's row is written after its portal hold is taken and closed
 * before the hold is released, so the logged intervals lie inside the real holds: overlapping intervals
 * for one portal in this log would prove a broken hold.
 */
export class RunLog {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async start(run: RunStart): Promise<number> {
    return insertJobRun(this.#db, run);
  }

  async end(runId: number, outcome: JobOutcome, error?: string): Promise<void> {
    await endJobRun(this.#db, runId, outcome, error);
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
