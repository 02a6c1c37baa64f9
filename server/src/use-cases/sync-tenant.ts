import type { Kysely } from 'kysely';
import type { CrmConnector, SyncProgress, SyncResult, SyncSink } from '../connectors/connector.ts';
import type { Database } from '../store/schema.ts';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import { loadSyncCursors, saveSyncCursors } from '../store/tables/sync-state.ts';
import type { UseCaseDeps } from './deps.ts';

export interface SyncTenantOptions {
  signal?: AbortSignal;
  onProgress?: SyncProgress;
}

/**
 * One sync run of a tenant, either CRM: from the stored cursors (none the first time: a full read), with
 * mid-run checkpoints stored as they come, and the returned cursors stored once the run's data is in the
 * store. A run the CRM's allowance stopped early still stores its cursors and completes (`stoppedEarly` tells
 * the caller): retrying within minutes would only spend more; the next scheduled sync resumes there.
 */
export async function syncTenant(deps: UseCaseDeps, tenantId: string, options: SyncTenantOptions = {}): Promise<SyncResult> {
  const connector = await deps.connectors.forTenant(tenantId, options.signal ? { signal: options.signal } : {});
  try {
    return await syncIntoStore(deps.db, tenantId, connector, options);
  } finally {
    await connector.close?.();
  }
}

/**
 * The same run with a connector the caller already holds (the demo's sandbox portal, a test's or bench's
 * connector): the one place sync cursors are loaded, checkpointed and stored.
 */
export async function syncIntoStore(
  db: Kysely<Database>,
  tenantId: string,
  connector: CrmConnector,
  options: Pick<SyncTenantOptions, 'onProgress'> = {},
): Promise<SyncResult> {
  const sink: SyncSink = { ...createStoreSyncSink(db, tenantId), checkpoint: (cursors) => saveSyncCursors(db, tenantId, cursors) };
  const result = await connector.sync(sink, {
    cursors: await loadSyncCursors(db, tenantId),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  await saveSyncCursors(db, tenantId, result.nextCursors);
  return result;
}
