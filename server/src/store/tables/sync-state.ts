import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * The `sync_state` table: one row per (tenant, key), `object_type` holding the key. Connectors' cursors (the
 * opaque map a sync takes and returns, both CRMs alike) are stored under `cursor:<key>`; HubSpot's full-sync
 * checkpoints under their own `full:` keys until that state moves into the cursor map too.
 */
export const CURSOR_KEY_PREFIX = 'cursor:';

/** The tenant's stored connector cursors, as the connector returned them (keys without the prefix). */
export async function loadSyncCursors(db: Kysely<Database>, tenantId: string): Promise<Record<string, string>> {
  const rows = await db
    .selectFrom('sync_state')
    .select(['object_type', 'cursor'])
    .where('tenant_id', '=', tenantId)
    .where('object_type', 'like', `${CURSOR_KEY_PREFIX}%`)
    .execute();
  const cursors: Record<string, string> = {};
  for (const row of rows) if (row.cursor) cursors[row.object_type.slice(CURSOR_KEY_PREFIX.length)] = row.cursor;
  return cursors;
}

/** Stores each cursor (upsert); keys the map does not name keep their value. */
export async function saveSyncCursors(db: Kysely<Database>, tenantId: string, cursors: Record<string, string>): Promise<void> {
  for (const [key, cursor] of Object.entries(cursors)) await writeSyncStateValue(db, tenantId, `${CURSOR_KEY_PREFIX}${key}`, cursor);
}

export async function readSyncStateValue(db: Kysely<Database>, tenantId: string, key: string): Promise<string | null> {
  const row = await db
    .selectFrom('sync_state')
    .select('cursor')
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', key)
    .executeTakeFirst();
  return row?.cursor ?? null;
}

export async function writeSyncStateValue(db: Kysely<Database>, tenantId: string, key: string, value: string): Promise<void> {
  const now = new Date();
  await db
    .insertInto('sync_state')
    .values({ tenant_id: tenantId, object_type: key, cursor: value, last_synced_at: now })
    .onConflict((oc) => oc.columns(['tenant_id', 'object_type']).doUpdateSet({ cursor: value, last_synced_at: now }))
    .execute();
}

/** Removes every key of the tenant starting with `prefix`. */
export async function clearSyncState(db: Kysely<Database>, tenantId: string, prefix: string): Promise<void> {
  await db.deleteFrom('sync_state').where('tenant_id', '=', tenantId).where('object_type', 'like', `${prefix}%`).execute();
}

/** When each tenant last stored any sync state (across tenants: the operator's status view). */
export async function selectLastSyncedAtPerTenant(db: Kysely<Database>): Promise<{ tenantId: string; at: Date | null }[]> {
  const rows = await db
    .selectFrom('sync_state')
    .select(['tenant_id', (eb) => eb.fn.max('last_synced_at').as('at')])
    .groupBy('tenant_id')
    .execute();
  return rows.map((r) => ({ tenantId: r.tenant_id, at: r.at ? new Date(r.at) : null }));
}
