import type { Kysely, Selectable } from 'kysely';
import type { AssociationsTable, Database } from '../schema.ts';

export type AssociationRow = Selectable<AssociationsTable>;

export async function selectAssociations(db: Kysely<Database>, tenantId: string): Promise<AssociationRow[]> {
  return db
    .selectFrom('associations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('from_type')
    .orderBy('from_id')
    .orderBy('to_type')
    .orderBy('to_id')
    .execute();
}

/** A record at the other end of an association. */
export interface LinkedRecord {
  type: string;
  id: string;
}

/** The records linked to one record, whichever side stored the link (activities included). */
export async function selectLinkedRecords(db: Kysely<Database>, tenantId: string, type: string, id: string): Promise<LinkedRecord[]> {
  const rows = await db
    .selectFrom('associations')
    .select(['from_type', 'from_id', 'to_type', 'to_id'])
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([eb.and([eb('from_type', '=', type), eb('from_id', '=', id)]), eb.and([eb('to_type', '=', type), eb('to_id', '=', id)])]),
    )
    .execute();
  const linked = new Map<string, LinkedRecord>();
  for (const row of rows) {
    const other =
      row.from_type === type && row.from_id === id ? { type: row.to_type, id: row.to_id } : { type: row.from_type, id: row.from_id };
    linked.set(`${other.type}/${other.id}`, other);
  }
  return [...linked.values()];
}

/** Removes every association of one record, in both directions. */
export async function deleteAssociationsOfRecord(db: Kysely<Database>, tenantId: string, type: string, id: string): Promise<void> {
  await db
    .deleteFrom('associations')
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([eb.and([eb('from_type', '=', type), eb('from_id', '=', id)]), eb.and([eb('to_type', '=', type), eb('to_id', '=', id)])]),
    )
    .execute();
}

/**
 * A merge: links other records hold to the merged-away record now point at the survivor (HubSpot moves them
 * too), then every association of the merged-away record goes. The survivor's own links are re-read by its refresh.
 */
export async function moveIncomingAssociations(
  db: Kysely<Database>,
  tenantId: string,
  type: string,
  fromId: string,
  toId: string,
): Promise<void> {
  await db
    .insertInto('associations')
    .columns(['tenant_id', 'from_type', 'from_id', 'to_type', 'to_id'])
    .expression(
      db
        .selectFrom('associations')
        .select((eb) => ['tenant_id', 'from_type', 'from_id', 'to_type', eb.val(toId).as('to_id')])
        .where('tenant_id', '=', tenantId)
        .where('to_type', '=', type)
        .where('to_id', '=', fromId)
        .where((eb) => eb.not(eb.and([eb('from_type', '=', type), eb('from_id', '=', toId)]))),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  await deleteAssociationsOfRecord(db, tenantId, type, fromId);
}

/**
 * What the CRM lists now as the records' outgoing links replaces what the store held: a refresh after an
 * association was removed must drop it (plain inserts would keep it forever). One transaction per call.
 */
export async function replaceOutgoingAssociations(
  db: Kysely<Database>,
  tenantId: string,
  fromType: string,
  fromIds: readonly string[],
  rows: readonly { fromType: string; fromId: string; toType: string; toId: string }[],
): Promise<void> {
  if (fromIds.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('associations')
      .where('tenant_id', '=', tenantId)
      .where('from_type', '=', fromType)
      .where('from_id', 'in', fromIds)
      .execute();
    const unique = [...new Map(rows.map((r) => [`${r.fromType}/${r.fromId}/${r.toType}/${r.toId}`, r])).values()];
    for (let i = 0; i < unique.length; i += 500) {
      await trx
        .insertInto('associations')
        .values(
          unique
            .slice(i, i + 500)
            .map((a) => ({ tenant_id: tenantId, from_type: a.fromType, from_id: a.fromId, to_type: a.toType, to_id: a.toId })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
}
