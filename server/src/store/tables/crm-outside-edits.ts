import { type Kysely, sql } from 'kysely';
import type { OutsideEdit } from '../../connectors/connector.ts';
import type { Database, ObjectType } from '../schema.ts';
import { forgetWrittenProperties } from './crm-written-values.ts';

/** An edit of one of Closewise's CRM properties by someone else, as the connector reads it from the property history. */
export type OutsideEditRow = OutsideEdit;

const CHUNK = 500;

/**
 * Keeps the edits (one row per history entry: finding one again is a no-op) and, in the same transaction,
 * makes the records due for write-back again: the scores' `written` fields are forgotten (so they are
 * pending) and so are the edited properties in the write log (so the connector sends them), which is what
 * lets a crash at any point leave either nothing or the whole repair queued.
 */
export async function recordOutsideEdits(db: Kysely<Database>, tenantId: string, edits: OutsideEditRow[], at: Date): Promise<void> {
  for (let i = 0; i < edits.length; i += CHUNK) {
    const part = edits.slice(i, i + CHUNK);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('crm_outside_edits')
        .values(
          part.map((e) => ({
            tenant_id: tenantId,
            object_type: e.objectType,
            external_id: e.externalId,
            property: e.property,
            value: e.value,
            source_type: e.sourceType,
            source_id: e.sourceId,
            changed_at: e.changedAt,
            detected_at: at,
          })),
        )
        .onConflict((oc) => oc.columns(['tenant_id', 'object_type', 'external_id', 'property', 'changed_at']).doNothing())
        .execute();
      const byRecord = new Map<string, { objectType: ObjectType; id: string; properties: string[] }>();
      for (const e of part) {
        const key = `${e.objectType}/${e.externalId}`;
        const entry = byRecord.get(key) ?? { objectType: e.objectType, id: e.externalId, properties: [] };
        entry.properties.push(e.property);
        byRecord.set(key, entry);
      }
      await forgetWrittenProperties(trx, tenantId, [...byRecord.values()]);
      const keys = [...byRecord.values()].map((e) => sql`(${e.objectType}, ${e.id})`);
      await sql`
        update scores set details = jsonb_set(scores.details, '{written}', 'null'::jsonb)
        from (values ${sql.join(keys)}) as v(object_type, external_id)
        where scores.tenant_id = ${tenantId} and scores.object_type = v.object_type and scores.external_id = v.external_id
          and scores.details is not null
      `.execute(trx);
    });
  }
}

/** Records with an outside edit Closewise has not written over yet, as `objectType/externalId`. */
export async function selectUnrepairedOutsideEdits(db: Kysely<Database>, tenantId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('crm_outside_edits')
    .select(['object_type', 'external_id'])
    .distinct()
    .where('tenant_id', '=', tenantId)
    .where('repaired_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => `${r.object_type}/${r.external_id}`));
}

/** Marks the outside edits of these records (`objectType/externalId`) as written over. */
export async function markOutsideEditsRepaired(db: Kysely<Database>, tenantId: string, records: string[], at: Date): Promise<void> {
  for (let i = 0; i < records.length; i += CHUNK) {
    const keys = records.slice(i, i + CHUNK).map((key) => {
      const slash = key.indexOf('/');
      return sql`(${key.slice(0, slash)}, ${key.slice(slash + 1)})`;
    });
    await sql`
      update crm_outside_edits set repaired_at = ${at}
      from (values ${sql.join(keys)}) as v(object_type, external_id)
      where crm_outside_edits.tenant_id = ${tenantId} and crm_outside_edits.object_type = v.object_type
        and crm_outside_edits.external_id = v.external_id and crm_outside_edits.repaired_at is null
    `.execute(db);
  }
}

export interface OutsideEditSummary {
  tenantId: string;
  count: number;
  last: OutsideEditRow | null;
}

/** Every tenant's outside-edit count and latest edit: for the operator's status view, across tenants on purpose. */
export async function selectOutsideEditSummariesOfAllTenants(db: Kysely<Database>): Promise<OutsideEditSummary[]> {
  const counts = await db
    .selectFrom('crm_outside_edits')
    .select(['tenant_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('tenant_id')
    .execute();
  const out: OutsideEditSummary[] = [];
  for (const row of counts) {
    const last = await db
      .selectFrom('crm_outside_edits')
      .selectAll()
      .where('tenant_id', '=', row.tenant_id)
      .orderBy('changed_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    out.push({
      tenantId: row.tenant_id,
      count: Number(row.n),
      last: last
        ? {
            objectType: last.object_type,
            externalId: last.external_id,
            property: last.property,
            value: last.value,
            sourceType: last.source_type,
            sourceId: last.source_id,
            changedAt: new Date(last.changed_at),
          }
        : null,
    });
  }
  return out;
}

/** Removes the outside edits found on one record (they hold its values and who changed them). */
export async function deleteOutsideEditsOfRecord(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  id: string,
): Promise<void> {
  await db
    .deleteFrom('crm_outside_edits')
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('external_id', '=', id)
    .execute();
}
