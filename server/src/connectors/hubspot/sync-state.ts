import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { clearSyncState, readSyncStateValue, writeSyncStateValue } from '../../store/tables/sync-state.ts';

/**
 * Where the connector keeps its place: incremental cursors and full-sync checkpoints, one string per key.
 * A key is written only after the data it covers is in the sink, so a killed sync resumes without gaps.
 */
export interface SyncStateStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** Removes every key starting with `prefix`. */
  clear(prefix: string): Promise<void>;
}

/** The `sync_state` table, scoped to one tenant (`object_type` holds the key). */
export function storeSyncState(db: Kysely<Database>, tenantId: string): SyncStateStore {
  return {
    get: (key) => readSyncStateValue(db, tenantId, key),
    set: (key, value) => writeSyncStateValue(db, tenantId, key, value),
    clear: (prefix) => clearSyncState(db, tenantId, prefix),
  };
}

/** For callers without a store (tests of one run, the CLI's dry runs): nothing survives the process. */
export function memorySyncState(initial: Record<string, string> = {}): SyncStateStore & { snapshot(): Record<string, string> } {
  const values = new Map(Object.entries(initial));
  return {
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => {
      values.set(key, value);
    },
    clear: async (prefix) => {
      for (const key of [...values.keys()]) if (key.startsWith(prefix)) values.delete(key);
    },
    snapshot: () => Object.fromEntries(values),
  };
}
