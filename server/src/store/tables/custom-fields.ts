import type { Kysely, Selectable } from 'kysely';
import type { CustomFieldsTable, Database } from '../schema.ts';

export type CustomFieldRow = Selectable<CustomFieldsTable>;

export async function selectCustomFields(db: Kysely<Database>, tenantId: string): Promise<CustomFieldRow[]> {
  return db.selectFrom('custom_fields').selectAll().where('tenant_id', '=', tenantId).execute();
}

/** Names and labels by object type, then name: what the settings page offers to exclude. */
export async function selectCustomFieldLabels(
  db: Kysely<Database>,
  tenantId: string,
): Promise<Pick<CustomFieldRow, 'object_type' | 'name' | 'label'>[]> {
  return db
    .selectFrom('custom_fields')
    .select(['object_type', 'name', 'label'])
    .where('tenant_id', '=', tenantId)
    .orderBy('object_type')
    .orderBy('name')
    .execute();
}
