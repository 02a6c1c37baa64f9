import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/** Row types of the job bookkeeping tables (migration 003-jobs), kept here beside their only users. */
export interface JobRunsTable {
  id: Generated<number>;
  job_id: string;
  job_type: string;
  tenant_id: string | null;
  worker: string;
  attempt: number;
  holds_portal: boolean;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  ended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** null while running; completed | failed (will retry) | dead_letter | released (shutdown) | skipped (portal stayed busy) */
  outcome: JobOutcome | null;
  error: string | null;
}

export type JobOutcome = 'completed' | 'failed' | 'dead_letter' | 'released' | 'skipped';

export interface JobRateGrantsTable {
  budget_key: string;
  granted_at: ColumnType<Date, Date | string, Date | string>;
  cost: number;
}

export interface JobsDatabase extends Database {
  job_runs: JobRunsTable;
  job_rate_grants: JobRateGrantsTable;
}

/** The store's handle, seen with the job tables. */
export function jobsDb(db: Kysely<Database>): Kysely<JobsDatabase> {
  return db as unknown as Kysely<JobsDatabase>;
}
