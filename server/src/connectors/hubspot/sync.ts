import type { CustomFieldInfo, NeutralStage, SyncProgress, SyncResult, SyncSink } from '../connector.ts';
import { FULL_PREFIX, runFullSync } from './full-sync.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { CURSOR_PREFIX, runIncrementalSync } from './incremental-sync.ts';
import { ACTIVITY_KINDS, OBJECT_TYPES } from './object-types.ts';
import { readCustomFields, readStages } from './portal-metadata.ts';
import type { SyncStateStore } from './sync-state.ts';

const STARTED_KEY = `${FULL_PREFIX}started`;

export interface PortalSyncOptions {
  onProgress?: SyncProgress;
  /** Force a full sync even when incremental cursors exist. */
  full?: boolean;
  overlapMs?: number;
  now?: () => number;
}

/** Pipelines and custom-field metadata: read on every sync (four calls) because mapping depends on them. */
export async function syncMetadata(
  api: HubSpotApi,
  sink: SyncSink,
): Promise<{ customFields: CustomFieldInfo[]; stageIndex: Map<string, NeutralStage> }> {
  const stages = await readStages(api);
  await sink.stages(stages);
  const customFields = await readCustomFields(api);
  await sink.customFields(customFields);
  return { customFields, stageIndex: new Map(stages.map((s) => [s.stageId, s])) };
}

/**
 * Syncs a portal: a full sync the first time (or to finish one a crash interrupted), then incremental.
 * After a full sync every type's incremental cursor is the moment the full sync started, so changes made
 * while it ran are read again next time.
 */
export async function syncPortal(
  api: HubSpotApi,
  sink: SyncSink,
  state: SyncStateStore,
  options: PortalSyncOptions = {},
): Promise<SyncResult> {
  const now = options.now ?? Date.now;
  const { customFields, stageIndex } = await syncMetadata(api, sink);
  const types = [...OBJECT_TYPES, ...ACTIVITY_KINDS];
  const cursors = await Promise.all(types.map((t) => state.get(`${CURSOR_PREFIX}${t}`)));
  const fullInProgress = (await state.get(STARTED_KEY)) !== null;
  const incremental = !options.full && !fullInProgress && cursors.every((c) => c !== null);

  if (incremental) {
    const run = await runIncrementalSync({
      api,
      sink,
      state,
      customFields,
      stageIndex,
      ...(options.overlapMs === undefined ? {} : { overlapMs: options.overlapMs }),
      now,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return { counts: { ...run.counts, customFields: customFields.length }, nextCursors: run.cursors };
  }

  if (options.full && !fullInProgress) await state.clear(FULL_PREFIX);
  let started = await state.get(STARTED_KEY);
  if (!started) {
    started = new Date(now()).toISOString();
    await state.set(STARTED_KEY, started);
  }
  const counts = await runFullSync({
    api,
    sink,
    state,
    customFields,
    stageIndex,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const nextCursors: Record<string, string> = {};
  for (const type of types) {
    await state.set(`${CURSOR_PREFIX}${type}`, started);
    nextCursors[type] = started;
  }
  // Last: until the checkpoints are cleared, a restart resumes this full sync instead of starting over.
  await state.clear(FULL_PREFIX);
  return { counts: { ...counts, customFields: customFields.length }, nextCursors };
}
