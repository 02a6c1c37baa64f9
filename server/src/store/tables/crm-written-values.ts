import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, ObjectType } from '../schema.ts';

/** Property values Closewise last wrote to one CRM record (HubSpot's write log). */
export const writtenValuesSchema = z.record(z.string(), z.string());
export type WrittenValues = z.output<typeof writtenValuesSchema>;

/** What was last written to these records, parsed once here. */
export async function readWrittenValues(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  ids: string[],
): Promise<Map<string, WrittenValues>> {
  const out = new Map<string, WrittenValues>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('crm_written_values')
    .select(['external_id', 'values'])
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('external_id', 'in', ids)
    .execute();
  for (const row of rows) out.set(row.external_id, writtenValuesSchema.parse(row.values));
  return out;
}

export async function recordWrittenValues(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  entries: { id: string; values: WrittenValues }[],
): Promise<void> {
  if (entries.length === 0) return;
  const now = new Date();
  await db
    .insertInto('crm_written_values')
    .values(
      entries.map((e) => ({
        tenant_id: tenantId,
        object_type: objectType,
        external_id: e.id,
        values: JSON.stringify(e.values),
        written_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'object_type', 'external_id']).doUpdateSet((eb) => ({
        values: eb.ref('excluded.values'),
        written_at: eb.ref('excluded.written_at'),
      })),
    )
    .execute();
}

/**
 * Forgets that these properties were written (someone else changed them since), so the next write-back sends
 * them again. Property names hold no comma (HubSpot's names are [a-z0-9_]), which lets one list travel as text.
 */
export async function forgetWrittenProperties(
  db: Kysely<Database>,
  tenantId: string,
  entries: { objectType: ObjectType; id: string; properties: string[] }[],
): Promise<void> {
  for (let i = 0; i < entries.length; i += 500) {
    const rows = entries.slice(i, i + 500).map((e) => sql`(${e.objectType}, ${e.id}, ${e.properties.join(',')})`);
    await sql`
      update crm_written_values set values = crm_written_values.values - string_to_array(v.properties, ',')
      from (values ${sql.join(rows)}) as v(object_type, external_id, properties)
      where crm_written_values.tenant_id = ${tenantId} and crm_written_values.object_type = v.object_type
        and crm_written_values.external_id = v.external_id
    `.execute(db);
  }
}

/** Forgets what Closewise wrote to one record (the record is gone from the store). */
export async function deleteWrittenValuesOfRecord(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  id: string,
): Promise<void> {
  await db
    .deleteFrom('crm_written_values')
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('external_id', '=', id)
    .execute();
}
