import type { Kysely } from 'kysely';

/**
 * What a record's score needs from the rest of its portal (stage norms, owners' records, the contacts'
 * quartile cut points, the accounts' lonely threshold and engagement norms, the model versions), computed by
 * each full scoring run and kept here, one row per tenant: a record rescored alone reads this row and its own
 * rows instead of the whole portal. `format` is the shape's version; a row of another format is not used.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('portal_contexts')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('format', 'integer', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('context', 'jsonb', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('portal_contexts').execute();
}
