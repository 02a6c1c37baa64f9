import type { Kysely, Selectable } from 'kysely';
import type { FieldOptions } from '../../connectors/connector.ts';
import type { Database, FieldOptionsTable } from '../schema.ts';

export type FieldOptionsRow = Selectable<FieldOptionsTable>;

export async function selectFieldOptions(db: Kysely<Database>, tenantId: string): Promise<FieldOptionsRow[]> {
  return db.selectFrom('field_options').selectAll().where('tenant_id', '=', tenantId).execute();
}

/** Replaces each given field's labels (a renamed or removed option in the CRM is renamed or removed here). */
export async function upsertFieldOptions(db: Kysely<Database>, tenantId: string, fields: FieldOptions[]): Promise<void> {
  const unique = [...new Map(fields.map((f) => [`${f.objectType}/${f.field}`, f])).values()];
  for (let i = 0; i < unique.length; i += 200) {
    await db
      .insertInto('field_options')
      .values(
        unique.slice(i, i + 200).map((f) => ({
          tenant_id: tenantId,
          object_type: f.objectType,
          field: f.field,
          options: JSON.stringify(f.options.map((o) => ({ value: o.value, label: o.label }))),
        })),
      )
      .onConflict((oc) => oc.columns(['tenant_id', 'object_type', 'field']).doUpdateSet((eb) => ({ options: eb.ref('excluded.options') })))
      .execute();
  }
}
