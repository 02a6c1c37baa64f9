import type { Kysely } from 'kysely';
import type { Database, ObjectType } from '../../store/schema.ts';

/** HubSpot property values Closewise last wrote to one record. */
export type WrittenValues = Record<string, string>;

/**
 * What was last written to each record, recorded right after HubSpot confirmed the batch. It makes
 * write-back change-only (no churn, no webhook loops) and bounds a crash to re-writing the batch in flight.
 */
export interface WriteLog {
  read(objectType: ObjectType, ids: string[]): Promise<Map<string, WrittenValues>>;
  record(objectType: ObjectType, entries: { id: string; values: WrittenValues }[]): Promise<void>;
}

interface WrittenValuesTable {
  tenant_id: string;
  object_type: string;
  external_id: string;
  values: WrittenValues;
  written_at: Date;
}

/** The `crm_written_values` table (migration 004), scoped to one tenant. */
export function storeWriteLog(db: Kysely<Database>, tenantId: string): WriteLog {
  const tdb = db.withTables<{ crm_written_values: WrittenValuesTable }>();
  return {
    async read(objectType, ids) {
      const out = new Map<string, WrittenValues>();
      if (ids.length === 0) return out;
      const rows = await tdb
        .selectFrom('crm_written_values')
        .select(['external_id', 'values'])
        .where('tenant_id', '=', tenantId)
        .where('object_type', '=', objectType)
        .where('external_id', 'in', ids)
        .execute();
      for (const row of rows) out.set(row.external_id, row.values);
      return out;
    },
    async record(objectType, entries) {
      if (entries.length === 0) return;
      const now = new Date();
      await tdb
        .insertInto('crm_written_values')
        .values(
          entries.map((e) => ({
            tenant_id: tenantId,
            object_type: objectType,
            external_id: e.id,
            values: JSON.stringify(e.values) as unknown as WrittenValues,
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
    },
  };
}

export function memoryWriteLog(): WriteLog {
  const values = new Map<string, WrittenValues>();
  return {
    async read(objectType, ids) {
      const out = new Map<string, WrittenValues>();
      for (const id of ids) {
        const v = values.get(`${objectType}/${id}`);
        if (v) out.set(id, v);
      }
      return out;
    },
    async record(objectType, entries) {
      for (const e of entries) values.set(`${objectType}/${e.id}`, e.values);
    },
  };
}
