import type { Kysely, Selectable } from 'kysely';
import type { CrmRecordsTable, Database, ObjectType } from '../schema.ts';

export type CrmRecordRow = Selectable<CrmRecordsTable>;

/** Every record the CRM still has (archived ones are kept for history, never scored), in a stable order. */
export async function selectLiveRecords(db: Kysely<Database>, tenantId: string): Promise<CrmRecordRow[]> {
  return db
    .selectFrom('crm_records')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('archived', '=', false)
    .orderBy('object_type')
    .orderBy('external_id')
    .execute();
}

/** Whether the tenant has this record and the CRM has not deleted (archived) it: a deleted record has no card. */
export async function liveRecordExists(db: Kysely<Database>, tenantId: string, objectType: ObjectType, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('crm_records')
    .select('external_id')
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('external_id', '=', id)
    .where('archived', '=', false)
    .executeTakeFirst();
  return row !== undefined;
}

/** Removes the record's row itself (a privacy erasure or a merge took it away); the rest is the caller's. */
export async function deleteRecord(db: Kysely<Database>, tenantId: string, objectType: ObjectType, id: string): Promise<void> {
  await db
    .deleteFrom('crm_records')
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('external_id', '=', id)
    .execute();
}

/** One record's stored properties, or null when the store does not hold it. */
export async function selectRecordProperties(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  id: string,
): Promise<Record<string, string | null> | null> {
  const row = await db
    .selectFrom('crm_records')
    .select('properties')
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('external_id', '=', id)
    .executeTakeFirst();
  return row?.properties ?? null;
}
