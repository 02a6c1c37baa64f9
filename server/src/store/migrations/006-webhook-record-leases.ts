import type { Kysely } from 'kysely';

/**
 * Which `closewise serve` process is refreshing a record from its webhook events right now. One row per
 * record at most (the primary key), taken with INSERT … ON CONFLICT DO UPDATE … WHERE expired, so two
 * processes on one database never refresh the same record at once; a crashed holder's lease expires.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_record_leases')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_record_leases_pk', ['tenant_id', 'object_type', 'object_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_record_leases').ifExists().execute();
}
