import { type Kysely, sql } from 'kysely';

/**
 * Job bookkeeping shared by every worker: a log of job runs (what `closewise status` reads and what proves
 * that no two workers held one portal at once) and the grants of the per-portal API budget.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('job_type', 'text', (c) => c.notNull())
    // No foreign key: the log outlives an uninstalled tenant and records jobs for tenants that never existed.
    .addColumn('tenant_id', 'text')
    .addColumn('worker', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('holds_portal', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('outcome', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('job_runs_tenant_idx').on('job_runs').columns(['tenant_id', 'job_type', 'started_at']).execute();

  await db.schema
    .createTable('job_rate_grants')
    .addColumn('budget_key', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('cost', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('job_rate_grants_key_idx').on('job_rate_grants').columns(['budget_key', 'granted_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_rate_grants').ifExists().execute();
  await db.schema.dropTable('job_runs').ifExists().execute();
}
