import type { Kysely } from 'kysely';

/**
 * The CRM's display labels of enumeration and picklist values, one row per field: reasons and cards say
 * "Computer Software" where the record holds COMPUTER_SOFTWARE. Standard fields (industry, lifecycle stage)
 * are here too, which is why this is not a column of `custom_fields`. `field` is the store's canonical key
 * (`industry`, `lifecycle`, `custom:<name>`); `options` is a JSON array of { value, label }.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('field_options')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('options', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('field_options_pk', ['tenant_id', 'object_type', 'field'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('field_options').ifExists().execute();
}
