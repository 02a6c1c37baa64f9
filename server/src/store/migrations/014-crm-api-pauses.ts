import type { Kysely } from 'kysely';

/**
 * A tenant whose CRM API allowance is spent (a HubSpot private app's daily limit): no sync runs before
 * `resume_at`, when the CRM's day starts over; `reason` is what `closewise status` shows until then.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('crm_api_pauses')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('resume_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('paused_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('crm_api_pauses').execute();
}
