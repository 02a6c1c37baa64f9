import type { ColumnType, Generated } from 'kysely';

/** Row types of the job bookkeeping tables (migration 003-jobs) and the Salesforce package's keys (005). */
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
  /** While open: the run's worker keeps pushing this forward; past it, the worker is taken for dead (migration 011). */
  lease_expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the run's worker last renewed its lease: a dead worker's run ends there (migration 011). */
  renewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type JobOutcome = 'completed' | 'failed' | 'dead_letter' | 'released' | 'skipped';

export interface JobRateGrantsTable {
  budget_key: string;
  granted_at: ColumnType<Date, Date | string, Date | string>;
  cost: number;
}

export interface SalesforceApiKeysTable {
  id: string;
  tenant_id: string;
  key_hash: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
