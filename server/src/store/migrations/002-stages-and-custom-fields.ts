import type { Kysely } from 'kysely';

/** Pipeline stages (so stage history can be read as order/outcome/probability) and the custom fields' metadata. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stages')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    .addColumn('stage_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('display_order', 'integer', (c) => c.notNull())
    .addColumn('probability', 'double precision')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stages_pk', ['tenant_id', 'pipeline_id', 'stage_id'])
    .execute();

  await db.schema
    .createTable('custom_fields')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('value_type', 'text', (c) => c.notNull())
    .addColumn('options', 'jsonb')
    .addPrimaryKeyConstraint('custom_fields_pk', ['tenant_id', 'object_type', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('custom_fields').ifExists().execute();
  await db.schema.dropTable('stages').ifExists().execute();
}
