import type { ObjectType } from '../../store/schema.ts';
import type { ScoreWrite, WriteBackResult } from '../connector.ts';
import { toHubSpotProperties } from './closewise-properties.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { hubSpotErrorMessage, hubSpotErrorStatus } from './hubspot-client.ts';
import { HUBSPOT_OBJECT } from './mapping.ts';
import type { WriteLog, WrittenValues } from './write-log.ts';

/** HubSpot's batch update takes at most 100 inputs. */
export const BATCH_UPDATE_LIMIT = 100;
/** Batches in flight at once: enough to keep the limiter's slots busy while one batch waits on HubSpot. */
const CONCURRENT_BATCHES = 4;
/** Stamped on every write; alone it is not a change worth a write (or a webhook, or a history entry). */
const TIMESTAMP_PROPERTY = 'closewise_scored_at';

export interface HubSpotWriteBackResult extends WriteBackResult {
  /** Records whose values equal what we last wrote: no request was sent for them. */
  unchanged: number;
}

interface PendingWrite {
  id: string;
  /** Only the properties whose value differs from what we last wrote. */
  changed: Record<string, string>;
  /** Everything we will have written once this succeeds, for the write log. */
  values: WrittenValues;
}

/** The properties of `next` that differ from `previous`; empty when nothing but the timestamp moved. */
export function changedProperties(previous: WrittenValues | undefined, next: WrittenValues): Record<string, string> {
  const changed = Object.fromEntries(Object.entries(next).filter(([name, value]) => previous?.[name] !== value));
  const meaningful = Object.keys(changed).filter((name) => name !== TIMESTAMP_PROPERTY);
  return meaningful.length === 0 ? {} : changed;
}

/**
 * Writes scores back, change-only, in batches of ≤100. Each batch is recorded in the write log as soon as
 * HubSpot confirms it, so a crash re-writes at most the batches in flight. A batch HubSpot rejects is split
 * until the rejected records are isolated; the others are written and the rejected are reported, never
 * dropped silently (they stay pending on the scoring side and are tried again next run).
 */
export async function writeScoresToHubSpot(
  api: HubSpotApi,
  log: WriteLog,
  writes: ScoreWrite[],
  onProgress?: (done: number) => void,
): Promise<HubSpotWriteBackResult> {
  const result: HubSpotWriteBackResult = { written: 0, failed: [], unchanged: 0 };
  let done = 0;
  const report = (n: number) => {
    done += n;
    onProgress?.(done);
  };
  for (const objectType of ['deal', 'contact', 'company'] as const) {
    const ofType = writes.filter((w) => w.objectType === objectType);
    const pending: PendingWrite[] = [];
    for (let i = 0; i < ofType.length; i += 1000) {
      const chunk = ofType.slice(i, i + 1000);
      const previous = await log.read(
        objectType,
        chunk.map((w) => w.externalId),
      );
      for (const write of chunk) {
        const before = previous.get(write.externalId);
        const next = toHubSpotProperties(write.fields);
        const changed = changedProperties(before, next);
        if (Object.keys(changed).length === 0) result.unchanged++;
        else pending.push({ id: write.externalId, changed, values: { ...before, ...next } });
      }
    }
    report(ofType.length - pending.length);
    const batches: PendingWrite[][] = [];
    for (let i = 0; i < pending.length; i += BATCH_UPDATE_LIMIT) batches.push(pending.slice(i, i + BATCH_UPDATE_LIMIT));
    await runConcurrently(batches, CONCURRENT_BATCHES, async (batch) => {
      await writeBatch(api, log, objectType, batch, result);
      report(batch.length);
    });
  }
  return result;
}

async function writeBatch(
  api: HubSpotApi,
  log: WriteLog,
  objectType: ObjectType,
  batch: PendingWrite[],
  result: HubSpotWriteBackResult,
): Promise<void> {
  try {
    const response = await api.call('standard', (c) =>
      c.crm.objects.batchApi.update(HUBSPOT_OBJECT[objectType], { inputs: batch.map((w) => ({ id: w.id, properties: w.changed })) }),
    );
    const confirmed = new Set(response.results.map((r) => String(r.id)));
    const written = batch.filter((w) => confirmed.has(w.id));
    await log.record(
      objectType,
      written.map((w) => ({ id: w.id, values: w.values })),
    );
    result.written += written.length;
    for (const w of batch)
      if (!confirmed.has(w.id)) result.failed.push({ externalId: w.id, message: 'HubSpot did not confirm the update' });
  } catch (error) {
    const status = hubSpotErrorStatus(error);
    // HubSpot rejects a whole batch for one bad input (unknown id, invalid option): find it by halving.
    if (status !== undefined && status >= 400 && status < 500 && status !== 429 && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      await writeBatch(api, log, objectType, batch.slice(0, half), result);
      await writeBatch(api, log, objectType, batch.slice(half), result);
      return;
    }
    const message = hubSpotErrorMessage(error);
    for (const w of batch) result.failed.push({ externalId: w.id, message });
  }
}

async function runConcurrently<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
