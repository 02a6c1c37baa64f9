import type { Kysely, Selectable } from 'kysely';
import type { Database, PropertyHistoryTable } from '../schema.ts';

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
