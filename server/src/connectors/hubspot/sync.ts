import type { CustomFieldInfo, NeutralStage, SyncCursors, SyncProgress, SyncResult, SyncSink } from '../connector.ts';
import { HubSpotRateLimitedError } from './errors.ts';
import { runFullSync } from './full-sync.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { runIncrementalSync } from './incremental-sync.ts';
import { ACTIVITY_KINDS, OBJECT_TYPES } from './object-types.ts';
import { readProperties, readStages } from './portal-metadata.ts';
import { FULL_STARTED, fullKey, HISTORY_SCOPE, HISTORY_SCOPE_KEY, SyncPosition } from './sync-position.ts';
import type { WriteLog } from './write-log.ts';

export interface PortalSyncOptions {
  /** The map the previous run returned or last checkpointed (see sync-position.ts); none: a full sync. */
  cursors?: SyncCursors;
  onProgress?: SyncProgress;
  /** Force a full sync even when incremental cursors exist. */
  full?: boolean;
  overlapMs?: number;
  /** See DEFAULT_DELETION_SWEEP_MS (incremental-sync.ts). */
  deletionSweepMs?: number;
  now?: () => number;
  /** What Closewise last wrote: incremental runs then check Closewise's properties still hold it (outside-edits.ts). */
  writeLog?: WriteLog;
}

/** Pipelines and custom-field metadata: read on every sync (four calls) because mapping depends on them. */
export async function syncMetadata(
  api: HubSpotApi,
  sink: SyncSink,
): Promise<{ customFields: CustomFieldInfo[]; stageIndex: Map<string, NeutralStage> }> {
  const stages = await readStages(api);
  await sink.stages(stages);
  const { customFields, fieldOptions } = await readProperties(api);
  await sink.customFields(customFields);
  await sink.fieldOptions?.(fieldOptions);
  return { customFields, stageIndex: new Map(stages.map((s) => [s.stageId, s])) };
}

/**
 * Syncs a portal: a full sync the first time (or to finish one a crash interrupted), then incremental.
 * After a full sync every type's incremental cursor is the moment the full sync started, so changes made
 * while it ran are read again next time. Progress goes to the sink's checkpoint as it is made; the caller
 * stores it and the returned `nextCursors`, and passes them back to resume or continue.
 */
export async function syncPortal(api: HubSpotApi, sink: SyncSink, options: PortalSyncOptions = {}): Promise<SyncResult> {
  const position = new SyncPosition(options.cursors ?? {}, sink);
  try {
    return await syncFromPosition(api, sink, position, options);
  } catch (error) {
    // A private app's daily limit: nothing gets through before the account's midnight. The positions cover
    // exactly what reached the sink (every stream has stopped), so the run ends there, as a stop, not a failure.
    if (!(error instanceof HubSpotRateLimitedError) || !error.daily || !error.resumeAt) throw error;
    return { counts: {}, nextCursors: position.snapshot(), stoppedEarly: { resumeAt: error.resumeAt, message: error.message } };
  }
}

async function syncFromPosition(api: HubSpotApi, sink: SyncSink, position: SyncPosition, options: PortalSyncOptions): Promise<SyncResult> {
  const now = options.now ?? Date.now;
  const { customFields, stageIndex } = await syncMetadata(api, sink);
  const types = [...OBJECT_TYPES, ...ACTIVITY_KINDS];
  const fullInProgress = position.get(FULL_STARTED) !== null;
  const historyComplete = position.get(HISTORY_SCOPE_KEY) === HISTORY_SCOPE;
  const incremental = !options.full && !fullInProgress && historyComplete && types.every((t) => position.get(t) !== null);

  if (incremental) {
    const counts = await runIncrementalSync({
      api,
      sink,
      position,
      customFields,
      stageIndex,
      ...(options.overlapMs === undefined ? {} : { overlapMs: options.overlapMs }),
      ...(options.deletionSweepMs === undefined ? {} : { deletionSweepMs: options.deletionSweepMs }),
      now,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.writeLog ? { writeLog: options.writeLog } : {}),
    });
    return { counts: { ...counts, customFields: customFields.length }, nextCursors: position.snapshot() };
  }

  if (options.full && !fullInProgress) position.clearFull();
  let started = position.get(FULL_STARTED);
  if (!started) {
    started = new Date(now()).toISOString();
    // Which history this run reads, kept with its positions: a run resumed from before the scope grew does not claim it.
    position.set(fullKey('history'), HISTORY_SCOPE);
    // Reported at once, so a run killed before any stream moved resumes this sync and keeps its start time.
    await position.advance(FULL_STARTED, started);
  }
  const counts = await runFullSync({
    api,
    sink,
    position,
    customFields,
    stageIndex,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  for (const type of types) position.set(type, started);
  if (position.get(fullKey('history')) === HISTORY_SCOPE) position.set(HISTORY_SCOPE_KEY, HISTORY_SCOPE);
  // Gone from the returned map: once the caller stores it, the next run is incremental; until then a restart
  // resumes this full sync from its last checkpoint (every stream `done`) instead of starting over.
  position.clearFull();
  return { counts: { ...counts, customFields: customFields.length }, nextCursors: position.snapshot() };
}
