import type { SyncCursors, SyncSink } from '../connector.ts';

/**
 * HubSpot's keys in the cursor map a sync takes and returns (the caller stores the map; see use-cases/sync-tenant.ts):
 *   `<type>`           incremental: changes up to this time are in the store
 *   `archived:<type>`  the same for archivals (HubSpot's deletions), read after the changes
 *   `full:started`     a full sync is under way, started then (its end becomes every type's incremental cursor)
 *   `full:<type>`      how far that full sync's list of the type got: a paging token, or `done`
 *   `full:<type>:associations-pending`
 *                      ids (comma-separated) of records stored before `full:<type>` whose associations are not:
 *                      set only when a run stops between two checkpoints (the daily limit), read first on resume
 *   `history:scope`    which properties' history the last finished full sync read (HISTORY_SCOPE)
 */
export const FULL_PREFIX = 'full:';
export const FULL_STARTED = `${FULL_PREFIX}started`;
export const FULL_DONE = 'done';
export const fullKey = (type: string): string => `${FULL_PREFIX}${type}`;
export const pendingAssociationsKey = (type: string): string => `${FULL_PREFIX}${type}:associations-pending`;
export const archivedKey = (type: string): string => `archived:${type}`;
export const HISTORY_SCOPE_KEY = 'history:scope';
/**
 * Every property the models read has its history in the store. Incremental runs only re-read changed records,
 * so a portal last fully synced when only four properties' history was read (no `history:scope`) is synced in
 * full once more: until then its other fields' history is unknown and the scoring core leaves them out.
 */
export const HISTORY_SCOPE = 'model-properties';

/**
 * Where one sync run stands: starts from the cursors it was given, and reports the whole map to the sink's
 * `checkpoint` each time a position moves. Reports go out one at a time in the order positions moved, so the
 * streams of a full sync, which move side by side, never let an older map overwrite a newer one.
 */
export class SyncPosition {
  private readonly cursors: Map<string, string>;
  private readonly sink: SyncSink;
  private reported: Promise<void> = Promise.resolve();

  constructor(initial: SyncCursors, sink: SyncSink) {
    this.cursors = new Map(Object.entries(initial));
    this.sink = sink;
  }

  get(key: string): string | null {
    return this.cursors.get(key) ?? null;
  }

  /** Moves one position and resolves once the sink has the whole map; call only after the data it covers is in the sink. */
  advance(key: string, value: string): Promise<void> {
    this.cursors.set(key, value);
    const snapshot = this.snapshot();
    const report = this.reported.then(() => this.sink.checkpoint?.(snapshot));
    // A failed report is the caller's error (it awaits `report`), not a reason to stop later ones.
    this.reported = report.catch(() => undefined);
    return report;
  }

  /** Sets a position without reporting it: for the final map, which the caller stores from the sync's result. */
  set(key: string, value: string): void {
    this.cursors.set(key, value);
  }

  /** Removes a position without reporting it (reported with the next move or the result). */
  delete(key: string): void {
    this.cursors.delete(key);
  }

  /** Forgets a full sync's positions (before a forced one, and once one finished); reported with the next move or the result. */
  clearFull(): void {
    for (const key of [...this.cursors.keys()]) if (key.startsWith(FULL_PREFIX)) this.cursors.delete(key);
  }

  snapshot(): SyncCursors {
    return Object.fromEntries(this.cursors);
  }
}
