import type { Kysely } from 'kysely';
import type { Database, ObjectType } from '../../store/schema.ts';
import { readWrittenValues, recordWrittenValues, type WrittenValues } from '../../store/tables/crm-written-values.ts';

export type { WrittenValues };

/**
 * What was last written to each record, recorded right after HubSpot confirmed the batch. It makes
 * write-back change-only (no churn, no webhook loops) and bounds a crash to re-writing the batch in flight.
 */
export interface WriteLog {
  read(objectType: ObjectType, ids: string[]): Promise<Map<string, WrittenValues>>;
  record(objectType: ObjectType, entries: { id: string; values: WrittenValues }[]): Promise<void>;
}

/** The `crm_written_values` table, scoped to one tenant. */
export function storeWriteLog(db: Kysely<Database>, tenantId: string): WriteLog {
  return {
    read: (objectType, ids) => readWrittenValues(db, tenantId, objectType, ids),
    record: (objectType, entries) => recordWrittenValues(db, tenantId, objectType, entries),
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
