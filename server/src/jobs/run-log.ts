import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema.ts';
import { type JobOutcome, jobsDb } from './jobs-schema.ts';

export interface RunStart {
  jobId: string;
  type: string;
  tenantId: string | null;
  worker: string;
  attempt: number;
  holdsPortal: boolean;
}

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
    const row = await jobsDb(this.#db)
      .insertInto('job_runs')
      .values({
        job_id: run.jobId,
        job_type: run.type,
        tenant_id: run.tenantId,
        worker: run.worker,
        attempt: run.attempt,
        holds_portal: run.holdsPortal,
        started_at: sql<Date>`clock_timestamp()`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async end(runId: number, outcome: JobOutcome, error?: string): Promise<void> {
    await jobsDb(this.#db)
      .updateTable('job_runs')
      .set({ ended_at: sql<Date>`clock_timestamp()`, outcome, error: error?.slice(0, 2000) ?? null })
      .where('id', '=', runId)
      .execute();
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
