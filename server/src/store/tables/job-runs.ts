import { type Kysely, sql } from 'kysely';
import type { JobOutcome } from '../jobs-schema.ts';
import type { Database } from '../schema.ts';

export interface JobRunStart {
  jobId: string;
  type: string;
  tenantId: string | null;
  worker: string;
  attempt: number;
  holdsPortal: boolean;
  /** How long the run counts as alive without a renewal (renewJobRunLease). */
  leaseMs: number;
}

/** The database's now + ms: every worker compares leases on the one clock. */
function leaseEnd(ms: number) {
  return sql<Date>`clock_timestamp() + ${`${Math.ceil(ms)} milliseconds`}::interval`;
}

/** Opens a run's row, stamped with the database's clock (the one clock every worker shares). */
export async function insertJobRun(db: Kysely<Database>, run: JobRunStart): Promise<number> {
  const row = await db
    .insertInto('job_runs')
    .values({
      job_id: run.jobId,
      job_type: run.type,
      tenant_id: run.tenantId,
      worker: run.worker,
      attempt: run.attempt,
      holds_portal: run.holdsPortal,
      started_at: sql<Date>`clock_timestamp()`,
      lease_expires_at: leaseEnd(run.leaseMs),
      renewed_at: sql<Date>`clock_timestamp()`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Closes a run's row; errors are kept to 2,000 characters (they are for people, not for replay). */
export async function endJobRun(db: Kysely<Database>, runId: number, outcome: JobOutcome, error?: string): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({ ended_at: sql<Date>`clock_timestamp()`, outcome, error: error?.slice(0, 2000) ?? null })
    .where('id', '=', runId)
    .execute();
}

/** Pushes an open run's lease forward; false when the run is no longer open (it ended, or was taken for dead). */
export async function renewJobRunLease(db: Kysely<Database>, runId: number, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable('job_runs')
    .set({ lease_expires_at: leaseEnd(leaseMs), renewed_at: sql<Date>`clock_timestamp()` })
    .where('id', '=', runId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Closes as failed every open run whose lease expired (its worker stopped renewing it: killed, or cut off from
 * the database), ended when it was last seen alive: the worker died after that, and before the lease ran out.
 * Returns how many were closed.
 */
export async function failExpiredJobRuns(db: Kysely<Database>, reason: string): Promise<number> {
  const result = await db
    .updateTable('job_runs')
    .set((eb) => ({ ended_at: eb.fn.coalesce('renewed_at', 'started_at'), outcome: 'failed', error: reason }))
    .where('ended_at', 'is', null)
    .where('lease_expires_at', '<', sql<Date>`clock_timestamp()`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** When each tenant last completed each of `types`. */
export async function lastCompletedRuns(
  db: Kysely<Database>,
  types: string[],
): Promise<{ tenant_id: string | null; job_type: string; at: Date | string | null }[]> {
  return db
    .selectFrom('job_runs')
    .select(['tenant_id', 'job_type', (eb) => eb.fn.max('ended_at').as('at')])
    .where('outcome', '=', 'completed')
    .where('job_type', 'in', types)
    .groupBy(['tenant_id', 'job_type'])
    .execute();
}

/** Every dead-lettered run, and the failed runs that ended after `since`, oldest first. */
export async function problemRuns(db: Kysely<Database>, since: Date) {
  return db
    .selectFrom('job_runs')
    .select(['tenant_id', 'job_type', 'outcome', 'error', 'ended_at'])
    .where((eb) => eb.or([eb('outcome', '=', 'dead_letter'), eb.and([eb('outcome', '=', 'failed'), eb('ended_at', '>', since)])]))
    .orderBy('ended_at')
    .execute();
}

/** Runs not yet ended whose lease is current (an open run past its lease is a dead worker's, about to be failed). */
export async function liveOpenRuns(db: Kysely<Database>) {
  return db
    .selectFrom('job_runs')
    .select(['tenant_id', 'job_type', 'worker', 'started_at'])
    .where('ended_at', 'is', null)
    .where('lease_expires_at', '>=', sql<Date>`clock_timestamp()`)
    .execute();
}

/** Start and end of the latest `limit` completed runs of a job type (any portal), newest first. */
export async function recentCompletedRuns(db: Kysely<Database>, type: string, limit: number) {
  return db
    .selectFrom('job_runs')
    .select(['started_at', 'ended_at'])
    .where('job_type', '=', type)
    .where('outcome', '=', 'completed')
    .where('ended_at', 'is not', null)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
