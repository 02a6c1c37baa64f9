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

/** Runs not yet ended that started after `since` (older open rows are from dead workers: history, not news). */
export async function openRunsSince(db: Kysely<Database>, since: Date) {
  return db
    .selectFrom('job_runs')
    .select(['tenant_id', 'job_type', 'worker', 'started_at'])
    .where('ended_at', 'is', null)
    .where('started_at', '>', since)
    .execute();
}
