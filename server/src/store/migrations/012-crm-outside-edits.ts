import type { Kysely } from 'kysely';

/**
 * Edits of Closewise's own CRM properties by someone else (a workflow, an import, a person, another app),
 * found when a sync reads a record whose values no longer equal what Closewise wrote. One row per edit (the
 * CRM's history entry), so finding it again in a later sync is a no-op; `repaired_at` is set once Closewise
 * wrote its value back, so a repair cut short by a crash is taken up by the next cycle.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('crm_outside_edits')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('property', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('detected_at', 'timestamptz', (c) => c.notNull())
    .addColumn('repaired_at', 'timestamptz')
    .addPrimaryKeyConstraint('crm_outside_edits_pk', ['tenant_id', 'object_type', 'external_id', 'property', 'changed_at'])
    .execute();
  await db.schema.createIndex('crm_outside_edits_unrepaired').on('crm_outside_edits').columns(['tenant_id', 'repaired_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('crm_outside_edits').execute();
}
