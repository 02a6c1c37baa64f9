import type { SyncProgress, SyncResult, SyncSink } from '../connectors/connector.ts';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import { loadSyncCursors, saveSyncCursors } from '../store/tables/sync-state.ts';
import type { UseCaseDeps } from './deps.ts';

/**
 * One sync run of a tenant, either CRM: from the stored cursors (none the first time: a full read), with
 * mid-run checkpoints stored as they come, and the returned cursors stored once the run's data is in the
 * store. A run the CRM's allowance stopped early still stores its cursors and completes (`stoppedEarly` tells
 * the caller): retrying within minutes would only spend more; the next scheduled sync resumes there.
 */
export async function syncTenant(
  deps: UseCaseDeps,
  tenantId: string,
  options: { signal?: AbortSignal; onProgress?: SyncProgress } = {},
): Promise<SyncResult> {
  const { db } = deps;
  const connector = await deps.connectors.forTenant(tenantId, options.signal ? { signal: options.signal } : {});
  const sink: SyncSink = { ...createStoreSyncSink(db, tenantId), checkpoint: (cursors) => saveSyncCursors(db, tenantId, cursors) };
  try {
    const result = await connector.sync(sink, {
      cursors: await loadSyncCursors(db, tenantId),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await saveSyncCursors(db, tenantId, result.nextCursors);
    return result;
  } finally {
    await connector.close?.();
  }
}
