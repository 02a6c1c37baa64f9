import type { ActivityKind, ObjectType } from '../../store/schema.ts';
import type { CustomFieldInfo, NeutralStage, SyncProgress, SyncSink } from '../connector.ts';
import { ASSOCIATION_BATCH, readAssociations } from './associations.ts';
import { fitsInListUrl, HISTORY_PAGE_SIZE, PAGE_SIZE, readRecordsWithHistory } from './history-reads.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { ACTIVITY_PROPERTIES, historyPropertiesToRead, mapActivity, mapRecord, propertiesToRead } from './mapping.ts';
import { ACTIVITY_KINDS, hubspotTypeOf, isObjectType, OBJECT_TYPES } from './object-types.ts';
import { type HubSpotObject, parseHubSpotObjects } from './sdk-objects.ts';
import { limitSinkConcurrency } from './serial-sink.ts';
import { FULL_DONE, fullKey, pendingAssociationsKey, type SyncPosition } from './sync-position.ts';

/** Store writes in flight at once across all streams (see serial-sink.ts). */
const SINK_CONCURRENCY = 2;

export interface FullSyncContext {
  api: HubSpotApi;
  sink: SyncSink;
  position: SyncPosition;
  customFields: CustomFieldInfo[];
  stageIndex: Map<string, NeutralStage>;
  onProgress?: SyncProgress;
}

/**
 * A full sync of records (with history), activities and associations, resumable after a crash.
 *
 * Each object type is one stream of list pages; the streams run side by side so the portal's limiter, not
 * one request's latency, sets the pace. A stream moves its list position (`full:<type>`, reported through the
 * sink's checkpoint) only after every record before it and their associations are in the sink, so a restart
 * after a crash re-reads at most one association batch (1,000 records) per stream and loses nothing. A run
 * that stops (the daily limit) keeps the records stored since the checkpoint with the position instead, so
 * its resume re-reads none of them. Writes are upserts, so re-reading is safe.
 */
export async function runFullSync(ctx: FullSyncContext): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const streams = [...OBJECT_TYPES, ...ACTIVITY_KINDS];
  const shared = { ...ctx, sink: limitSinkConcurrency(ctx.sink, SINK_CONCURRENCY) };
  // The first stream to fail stops the others at their next page, and the run rejects only once all have
  // stopped: a run stopped by its job's time budget writes nothing after it returns (a drain function hands
  // the job back then, and a frozen Lambda instance would run a straggler during its next invocation).
  const stop: StreamStop = { failed: false, reason: undefined };
  const settled = await Promise.allSettled(
    streams.map((type) =>
      syncStream(shared, type, stop).catch((error: unknown) => {
        if (!stop.failed) Object.assign(stop, { failed: true, reason: error });
        throw error;
      }),
    ),
  );
  if (stop.failed) throw stop.reason;
  const results = settled.map((r) => (r.status === 'fulfilled' ? r.value : { records: 0, associations: 0 }));
  for (const [i, type] of streams.entries()) counts[type] = results[i]?.records ?? 0;
  counts.associations = results.reduce((n, r) => n + r.associations, 0);
  return counts;
}

/** Shared by the streams of one run: set by the first that fails, read by the others between pages. */
interface StreamStop {
  failed: boolean;
  reason: unknown;
}

async function syncStream(
  ctx: FullSyncContext,
  type: ObjectType | ActivityKind,
  stop: StreamStop,
): Promise<{ records: number; associations: number }> {
  const key = fullKey(type);
  const pendingKey = pendingAssociationsKey(type);
  const saved = ctx.position.get(key);
  // Records a stopped run stored without their associations: read with the first batch of this run.
  let pendingIds: string[] = ctx.position.get(pendingKey)?.split(',').filter(Boolean) ?? [];
  if (saved === FULL_DONE && pendingIds.length === 0) return { records: 0, associations: 0 };
  let after: string | undefined = saved === FULL_DONE ? undefined : (saved ?? undefined);
  let listed = saved === FULL_DONE;
  let records = 0;
  let associations = 0;

  const flush = async (cursor: string) => {
    const found = await readAssociations(ctx.api, type, pendingIds);
    await ctx.sink.associations(found);
    associations += found.length;
    pendingIds = [];
    ctx.position.delete(pendingKey);
    await ctx.position.advance(key, cursor);
  };
  // A run that stops between checkpoints (the daily limit, another stream's failure) leaves the position at
  // the first page it did not store, with the records stored since the last checkpoint as pending: the next
  // run reads neither again, only their associations. Set, not reported: a stop's result carries the map, and
  // a checkpoint another stream reports later carries the pair whole (a crash keeps the last checkpoint).
  const hold = () => {
    if (pendingIds.length === 0) return;
    ctx.position.set(key, listed ? FULL_DONE : (after as string));
    ctx.position.set(pendingKey, pendingIds.join(','));
  };

  try {
    if (listed) {
      await flush(FULL_DONE);
      return { records, associations };
    }
    // The next page is fetched while this one is stored: a lone stream at the end of a sync is otherwise
    // bound by request latency plus store time, and leaves the portal's budget unused.
    const fetchPage = (cursor: string | undefined) => {
      const promise = listPage(ctx, type, cursor);
      // Awaited below; this only keeps a failure while the previous page is stored from being "unhandled".
      promise.catch(() => undefined);
      return promise;
    };
    let nextPage = fetchPage(after);
    do {
      const page = await nextPage;
      // Another stream failed: stop here, its error is the run's; this page was not stored.
      if (stop.failed) {
        hold();
        return { records, associations };
      }
      if (page.after) nextPage = fetchPage(page.after);
      if (isObjectType(type)) {
        const mapped = page.results.map((object) => mapRecord(type, object, ctx.customFields, ctx.stageIndex));
        await ctx.sink.records(mapped);
        pendingIds.push(...mapped.map((r) => r.externalId));
      } else {
        const mapped = page.results.map((object) => mapActivity(type, object)).filter((a) => a !== null);
        await ctx.sink.activities(mapped);
        // Activities without a timestamp are not stored, but their associations are harmless to skip too.
        pendingIds.push(...mapped.map((a) => a.externalId));
      }
      records += page.results.length;
      after = page.after;
      ctx.onProgress?.({ objectType: type, fetched: records });
      if (pendingIds.length >= ASSOCIATION_BATCH && after) await flush(after);
    } while (after);
    listed = true;
    await flush(FULL_DONE);
    return { records, associations };
  } catch (error) {
    hold();
    throw error;
  }
}

/**
 * One list page of records with every property the models read and its history, or of activities. When the
 * property names would make the URL too long for HubSpot (a portal with hundreds of custom properties), the
 * page lists ids only and the records are read again by id with the names in the request body.
 */
async function listPage(
  ctx: FullSyncContext,
  type: ObjectType | ActivityKind,
  after: string | undefined,
): Promise<{ results: HubSpotObject[]; after?: string }> {
  if (!isObjectType(type)) return getPage(ctx, type, PAGE_SIZE, after, ACTIVITY_PROPERTIES, undefined);
  const properties = propertiesToRead(type, ctx.customFields);
  const history = historyPropertiesToRead(type, ctx.customFields);
  if (fitsInListUrl(properties, history)) return getPage(ctx, type, HISTORY_PAGE_SIZE, after, properties, history);
  const page = await getPage(ctx, type, PAGE_SIZE, after, ['hs_object_id'], undefined);
  const results: HubSpotObject[] = [];
  await readRecordsWithHistory(
    ctx.api,
    type,
    page.results.map((o) => o.id),
    properties,
    history,
    async (objects) => {
      results.push(...objects);
    },
  );
  return { results, ...(page.after ? { after: page.after } : {}) };
}

async function getPage(
  ctx: FullSyncContext,
  type: ObjectType | ActivityKind,
  limit: number,
  after: string | undefined,
  properties: string[],
  history: string[] | undefined,
): Promise<{ results: HubSpotObject[]; after?: string }> {
  const response = await ctx.api.call('standard', (c) =>
    c.crm.objects.basicApi.getPage(hubspotTypeOf(type), limit, after, properties, history, undefined, false),
  );
  const next = response.paging?.next?.after;
  return { results: parseHubSpotObjects(response.results, `a page of ${type} records`), ...(next ? { after: next } : {}) };
}
