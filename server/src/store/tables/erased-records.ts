import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, ObjectType } from '../schema.ts';

/**
 * The `erased_records` table: tombstones of records erased for privacy (migration 013). A row holds a hash of
 * the record's id, never the id, so it does not identify the person; it is enough to recognise the record if
 * the CRM hands it over again (a sync, an event), which must then be dropped instead of stored.
 */
export function erasedIdHash(tenantId: string, objectType: ObjectType, externalId: string): string {
  return createHash('sha256').update(`${tenantId}/${objectType}/${externalId}`).digest('hex');
}

export async function insertTombstone(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  externalId: string,
  at: Date,
): Promise<void> {
  await db
    .insertInto('erased_records')
    .values({ tenant_id: tenantId, object_type: objectType, id_hash: erasedIdHash(tenantId, objectType, externalId), erased_at: at })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Which of these ids of one type were erased for privacy (an empty set for none; one query per type). */
export async function selectErasedIds(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  externalIds: readonly string[],
): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const byHash = new Map(externalIds.map((id) => [erasedIdHash(tenantId, objectType, id), id]));
  const erased = new Set<string>();
  const hashes = [...byHash.keys()];
  for (let i = 0; i < hashes.length; i += 500) {
    const rows = await db
      .selectFrom('erased_records')
      .select('id_hash')
      .where('tenant_id', '=', tenantId)
      .where('object_type', '=', objectType)
      .where('id_hash', 'in', hashes.slice(i, i + 500))
      .execute();
    for (const row of rows) erased.add(byHash.get(row.id_hash) as string);
  }
  return erased;
}

/** Whether any tombstone exists for the tenant: the sink skips the per-batch lookups when none does. */
export async function hasTombstones(db: Kysely<Database>, tenantId: string): Promise<boolean> {
  const row = await db.selectFrom('erased_records').select('tenant_id').where('tenant_id', '=', tenantId).limit(1).executeTakeFirst();
  return row !== undefined;
}
