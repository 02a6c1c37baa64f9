import { FilterOperatorEnum, type PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import type { ActivityKind, ObjectType } from '../../store/schema.ts';
import type { CustomFieldInfo, NeutralStage, SyncProgress, SyncSink } from '../connector.ts';
import { readAssociations } from './associations.ts';
import { closewisePropertyNames } from './closewise-properties.ts';
import { readRecordsWithHistory } from './history-reads.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { ACTIVITY_PROPERTIES, historyPropertiesToRead, mapActivity, mapRecord, propertiesToRead } from './mapping.ts';
import { ACTIVITY_KINDS, hubspotTypeOf, isObjectType, MODIFIED_PROPERTY, OBJECT_TYPES } from './object-types.ts';
import { findOutsideEdits } from './outside-edits.ts';
import { parseHubSpotObjects } from './sdk-objects.ts';
import { archivedKey, type SyncPosition } from './sync-position.ts';
import type { WriteLog } from './write-log.ts';

/** The list endpoint's page cap. */
const LIST_PAGE = 100;
/** Search's page cap. */
const SEARCH_PAGE = 200;
/**
 * Re-read this much before the cursor: HubSpot's search index trails writes by seconds, and our clock and
 * HubSpot's are not the same clock. Re-reading is cheap (upserts); missing a change is not.
 */
export const DEFAULT_OVERLAP_MS = 5 * 60 * 1000;
/**
 * How often the archived lists are read. HubSpot's list of archived objects can only be read whole: it has no
 * filter on `archivedAt`, and it pages in id order (what the `after` token encodes, and what the sandbox
 * models), so a record with an old id deleted today sits before any "last seen" position and a run cannot
 * stop early. Contacts, companies and deals reach Closewise within seconds through the `object.deletion`
 * webhooks (webhook processor → refresh-record.ts marks them archived); this sweep is the backstop for
 * missed webhooks and for engagements, which the app does not subscribe to. Cost: see docs/capacity-model.md.
 */
export const DEFAULT_DELETION_SWEEP_MS = 6 * 60 * 60 * 1000;

export interface IncrementalContext {
  api: HubSpotApi;
  sink: SyncSink;
  position: SyncPosition;
  customFields: CustomFieldInfo[];
  stageIndex: Map<string, NeutralStage>;
  overlapMs?: number;
  /** Read the archived lists only when the last sweep is this old (DEFAULT_DELETION_SWEEP_MS); 0: every run. */
  deletionSweepMs?: number;
  now?: () => number;
  onProgress?: SyncProgress;
  /**
   * What Closewise last wrote: with it, records read back also bring Closewise's properties (and their
   * history), and values someone else changed are reported to the sink as outside edits (see outside-edits.ts).
   */
  writeLog?: WriteLog;
}

/**
 * Everything modified since each type's cursor, found with the search API, then, when the last deletion
 * sweep is older than `deletionSweepMs`, every record and activity archived since its type's archival
 * cursor. Pages go by `hs_object_id GT <last id>` (sorted ascending) instead of `after`, so no query ever
 * meets search's 10,000-result cap. A type's cursor moves to the scan's start time only after every change
 * it found is in the sink.
 */
export async function runIncrementalSync(ctx: IncrementalContext): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const type of [...OBJECT_TYPES, ...ACTIVITY_KINDS]) {
    const since = ctx.position.get(type);
    const scanStart = (ctx.now ?? Date.now)();
    const from = since ? Date.parse(since) - (ctx.overlapMs ?? DEFAULT_OVERLAP_MS) : 0;
    counts[type] = await syncChangedSince(ctx, type, from);
    await ctx.position.advance(type, new Date(scanStart).toISOString());
  }
  // After the live changes, so an archival wins over a lagging search hit of the same object in this run.
  for (const type of [...OBJECT_TYPES, ...ACTIVITY_KINDS]) {
    const key = archivedKey(type);
    const since = ctx.position.get(key);
    const scanStart = (ctx.now ?? Date.now)();
    if (since && scanStart - Date.parse(since) < (ctx.deletionSweepMs ?? DEFAULT_DELETION_SWEEP_MS)) {
      counts[key] = 0;
      continue;
    }
    // No cursor yet (a tenant synced before archivals were read): every archived object HubSpot still lists.
    const from = since ? Date.parse(since) - (ctx.overlapMs ?? DEFAULT_OVERLAP_MS) : 0;
    counts[key] = await syncArchivedSince(ctx, type, from);
    await ctx.position.advance(key, new Date(scanStart).toISOString());
  }
  return counts;
}

/**
 * Records or activities (engagements) deleted in HubSpot since `fromMs`, marked archived in the sink. Search
 * never returns archived objects, so they come from the list endpoint with `archived=true` (only archived
 * objects, id order, paged with `after`), filtered on `archivedAt`. HubSpot keeps them listable for 90 days.
 */
export async function syncArchivedSince(
  ctx: Pick<IncrementalContext, 'api' | 'sink' | 'onProgress'>,
  type: ObjectType | ActivityKind,
  fromMs: number,
): Promise<number> {
  let after: string | undefined;
  let total = 0;
  do {
    const response = await ctx.api.call('standard', (c) =>
      c.crm.objects.basicApi.getPage(hubspotTypeOf(type), LIST_PAGE, after, ['hs_object_id'], undefined, undefined, true),
    );
    const ids = response.results
      .filter((o) => o.archived !== false && (o.archivedAt === undefined || new Date(o.archivedAt).getTime() >= fromMs))
      .map((o) => String(o.id));
    if (ids.length > 0) {
      if (isObjectType(type)) await ctx.sink.archive(type, ids);
      else await ctx.sink.archiveActivities(type, ids);
    }
    total += ids.length;
    ctx.onProgress?.({ objectType: `archived:${type}`, fetched: total });
    after = response.paging?.next?.after;
  } while (after);
  return total;
}

/**
 * HubSpot's search takes sorts as objects (its guide; `"hs_object_id"` strings are not documented), while the
 * SDK types them as strings (HubSpot/hubspot-api-nodejs#559). The SDK sends array items as they are, so the
 * documented form goes in beside the SDK's type instead of being forced through it.
 */
function sortedByIdAscending(request: PublicObjectSearchRequest): PublicObjectSearchRequest {
  return Object.assign(request, { sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] });
}

export async function syncChangedSince(ctx: IncrementalContext, type: ObjectType | ActivityKind, fromMs: number): Promise<number> {
  const properties = isObjectType(type) ? ['hs_object_id'] : [...ACTIVITY_PROPERTIES, 'hs_object_id'];
  let lastId = '0';
  let total = 0;
  for (;;) {
    const request = sortedByIdAscending({
      filterGroups: [
        {
          filters: [
            { propertyName: MODIFIED_PROPERTY[type], operator: FilterOperatorEnum.Gte, value: String(fromMs) },
            { propertyName: 'hs_object_id', operator: FilterOperatorEnum.Gt, value: lastId },
          ],
        },
      ],
      properties,
      limit: SEARCH_PAGE,
      after: '0',
    });
    const response = await ctx.api.call('search', (c) => c.crm.objects.searchApi.doSearch(hubspotTypeOf(type), request));
    const found = parseHubSpotObjects(response.results, `a search page of ${type} changes`);
    if (found.length === 0) break;
    const ids = found.map((o) => String(o.id));
    if (isObjectType(type)) await storeRecords(ctx, type, ids);
    else await ctx.sink.activities(found.map((o) => mapActivity(type, o)).filter((a) => a !== null));
    await ctx.sink.associations(await readAssociations(ctx.api, type, ids));
    total += found.length;
    ctx.onProgress?.({ objectType: type, fetched: total });
    lastId = ids[ids.length - 1] as string;
    if (found.length < SEARCH_PAGE) break;
  }
  return total;
}

/**
 * Search returns no property history: read the changed records again with it (every property the models read), 50 at a time. With a write
 * log, Closewise's own properties come along in the same requests (no extra call): every record we wrote
 * shows up here after our write, and so does one someone else overwrote since, which is how drift is found.
 */
export async function storeRecords(
  ctx: Pick<IncrementalContext, 'api' | 'sink' | 'customFields' | 'stageIndex' | 'writeLog'>,
  type: ObjectType,
  ids: string[],
): Promise<number> {
  const ours = ctx.writeLog ? closewisePropertyNames(type) : [];
  let stored = 0;
  await readRecordsWithHistory(
    ctx.api,
    type,
    ids,
    [...propertiesToRead(type, ctx.customFields), ...ours],
    [...historyPropertiesToRead(type, ctx.customFields), ...ours],
    async (objects) => {
      const records = objects.map((o) => mapRecord(type, o, ctx.customFields, ctx.stageIndex));
      await ctx.sink.records(records);
      if (ctx.writeLog && ctx.sink.outsideEdits) {
        const written = await ctx.writeLog.read(
          type,
          objects.map((o) => o.id),
        );
        const edits = findOutsideEdits(type, objects, written);
        if (edits.length > 0) await ctx.sink.outsideEdits(edits);
      }
      stored += records.length;
    },
  );
  return stored;
}
