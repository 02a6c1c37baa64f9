import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import { up as renameHubSpotPositions } from '../migrations/009-hubspot-positions-in-cursor-map.ts';
import { loadSyncCursors, saveSyncCursors } from './sync-state.ts';

describe('sync cursors', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestPglite();
    for (const id of ['t1', 't2']) {
      await store.db
        .insertInto('tenants')
        .values({
          id,
          crm: 'hubspot',
          external_id: id,
          name: id,
          auth_mode: 'private_app',
          token_ciphertext: null,
          token_expires_at: null,
          settings: '{}',
        })
        .execute();
    }
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it('stores the map as the whole position: keys it no longer names are gone, other tenants untouched', async () => {
    await saveSyncCursors(store.db, 't1', { deal: 'a', 'full:started': 's', 'full:deal': 'page-2' });
    await saveSyncCursors(store.db, 't2', { deal: 'other' });
    expect(await loadSyncCursors(store.db, 't1')).toEqual({ deal: 'a', 'full:started': 's', 'full:deal': 'page-2' });
    await saveSyncCursors(store.db, 't1', { deal: 'b', 'archived:deal': 'c' });
    expect(await loadSyncCursors(store.db, 't1')).toEqual({ deal: 'b', 'archived:deal': 'c' });
    expect(await loadSyncCursors(store.db, 't2')).toEqual({ deal: 'other' });
    await saveSyncCursors(store.db, 't2', {});
    expect(await loadSyncCursors(store.db, 't2')).toEqual({});
  });

  it('migration 009 moves HubSpot’s own keys into the cursor map; a copy already there wins', async () => {
    const rows = [
      { tenant_id: 't2', object_type: 'archived-cursor:deal', cursor: 'old-archived' },
      { tenant_id: 't2', object_type: 'archived-cursor:contact', cursor: 'stale' },
      { tenant_id: 't2', object_type: 'cursor:archived:contact', cursor: 'current' },
      { tenant_id: 't2', object_type: 'full:started', cursor: 'started' },
      { tenant_id: 't2', object_type: 'full:email', cursor: 'done' },
    ];
    await store.db
      .insertInto('sync_state')
      .values(rows.map((r) => ({ ...r, last_synced_at: new Date() })))
      .execute();
    await renameHubSpotPositions(store.db);
    expect(await loadSyncCursors(store.db, 't2')).toEqual({
      'archived:deal': 'old-archived',
      'archived:contact': 'current',
      'full:started': 'started',
      'full:email': 'done',
    });
    const left = await store.db.selectFrom('sync_state').select('object_type').where('tenant_id', '=', 't2').execute();
    expect(left.every((r) => r.object_type.startsWith('cursor:'))).toBe(true);
  });
});
