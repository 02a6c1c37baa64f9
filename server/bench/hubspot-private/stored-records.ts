// What a tenant's store holds after a sync, per stream of the connector's full sync: the record and activity
// ids (to tell what was read again) and the association count (to compare two runs).

import type { ObjectTypeName } from '@closewise/sandboxes/hubspot/object-types';
import type { Kysely } from 'kysely';
import type { ActivityKind, Database, ObjectType } from '../../src/store/schema.ts';

/** The connector's streams (store type or activity kind) and the sandbox's name of the same type. */
export const STREAMS: { stream: ObjectType | ActivityKind; table: 'crm_records' | 'activities'; sandboxType: ObjectTypeName }[] = [
  { stream: 'contact', table: 'crm_records', sandboxType: 'contacts' },
  { stream: 'company', table: 'crm_records', sandboxType: 'companies' },
  { stream: 'deal', table: 'crm_records', sandboxType: 'deals' },
  { stream: 'email', table: 'activities', sandboxType: 'emails' },
  { stream: 'call', table: 'activities', sandboxType: 'calls' },
  { stream: 'meeting', table: 'activities', sandboxType: 'meetings' },
  { stream: 'note', table: 'activities', sandboxType: 'notes' },
  { stream: 'task', table: 'activities', sandboxType: 'tasks' },
];

export interface StoredRecords {
  /** Stored ids per stream. */
  ids: Record<string, Set<string>>;
  /** Records and activities stored, all streams. */
  records: number;
  associations: number;
}

export async function readStoredRecords(db: Kysely<Database>, tenantId: string): Promise<StoredRecords> {
  const ids: Record<string, Set<string>> = {};
  for (const { stream } of STREAMS) ids[stream] = new Set();
  const records = await db.selectFrom('crm_records').select(['object_type', 'external_id']).where('tenant_id', '=', tenantId).execute();
  for (const r of records) ids[r.object_type]?.add(r.external_id);
  const activities = await db.selectFrom('activities').select(['kind', 'external_id']).where('tenant_id', '=', tenantId).execute();
  for (const a of activities) ids[a.kind]?.add(a.external_id);
  const { n } = await db
    .selectFrom('associations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return { ids, records: records.length + activities.length, associations: Number(n) };
}

/** Records per stream, for the JSON line. */
export function countsPerStream(stored: StoredRecords): Record<string, number> {
  return Object.fromEntries(Object.entries(stored.ids).map(([stream, set]) => [stream, set.size]));
}
