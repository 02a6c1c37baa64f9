import type { Kysely, Selectable } from 'kysely';
import type { Database, ObjectType, PropertyHistoryTable } from '../schema.ts';

export type PropertyHistoryRow = Selectable<PropertyHistoryTable>;

/** Every stored property change, oldest first (point-in-time features replay them in this order). */
export async function selectPropertyHistory(db: Kysely<Database>, tenantId: string): Promise<PropertyHistoryRow[]> {
  return db
    .selectFrom('property_history')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('changed_at')
    .orderBy('object_type')
    .orderBy('external_id')
    .orderBy('property')
    .execute();
}

/** Removes every stored value change of one record. */
export async function deleteHistoryOfRecord(db: Kysely<Database>, tenantId: string, objectType: ObjectType, id: string): Promise<void> {
  await db
    .deleteFrom('property_history')
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('external_id', '=', id)
    .execute();
}
