import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * The `sync_state` table: one row per (tenant, key), `object_type` holding the key. A connector's sync position
 * (the opaque cursor map a sync takes, checkpoints and returns, both CRMs alike) is stored under
 * `cursor:<key>`, one row per cursor, so `last_synced_at` says when each last moved.
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

/**
 * Stores the map as the tenant's whole sync position: every cursor in it upserted, stored cursors it no
 * longer names removed (a finished HubSpot full sync drops its `full:` positions). Upserts go first, so a
 * crash between the two statements leaves extra old keys, never a missing new one.
 */
export async function saveSyncCursors(db: Kysely<Database>, tenantId: string, cursors: Record<string, string>): Promise<void> {
  const now = new Date();
  const keys = Object.keys(cursors).map((key) => `${CURSOR_KEY_PREFIX}${key}`);
  if (keys.length > 0) {
    await db
      .insertInto('sync_state')
      .values(
        Object.entries(cursors).map(([key, cursor]) => ({
          tenant_id: tenantId,
          object_type: `${CURSOR_KEY_PREFIX}${key}`,
          cursor,
          last_synced_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'object_type']).doUpdateSet((eb) => ({ cursor: eb.ref('excluded.cursor'), last_synced_at: now })),
      )
      .execute();
  }
  let stale = db.deleteFrom('sync_state').where('tenant_id', '=', tenantId).where('object_type', 'like', `${CURSOR_KEY_PREFIX}%`);
  if (keys.length > 0) stale = stale.where('object_type', 'not in', keys);
  await stale.execute();
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
