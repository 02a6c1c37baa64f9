import { type Kysely, sql } from 'kysely';

/**
 * A lease on every open job run: the worker running it pushes `lease_expires_at` forward while it is alive,
 * so a run whose worker died (SIGKILL, lost host) is recognisable once its lease has expired and is closed as
 * failed, instead of showing as "running" in `closewise status` forever; `renewed_at` is when it was last
 * seen alive, which becomes its end. Runs already open when this is applied get the longest a job may run
 * (4 hours) from their start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('job_runs').addColumn('lease_expires_at', 'timestamptz').addColumn('renewed_at', 'timestamptz').execute();
  await sql`UPDATE job_runs SET lease_expires_at = started_at + interval '4 hours', renewed_at = started_at WHERE ended_at IS NULL`.execute(
    db,
  );
  await db.schema
    .createIndex('job_runs_open_idx')
    .on('job_runs')
    .column('lease_expires_at')
    .where(sql.ref('ended_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('job_runs_open_idx').ifExists().execute();
  await db.schema.alterTable('job_runs').dropColumn('lease_expires_at').dropColumn('renewed_at').execute();
}
