import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Logger } from '../logging/logger.ts';
import type { Database, ObjectType } from '../store/schema.ts';
import { selectErasedIds } from '../store/tables/erased-records.ts';
import {
  markEventsAttempted,
  markEventsDone,
  type PendingWebhookEvent,
  selectPendingEventsOfRecord,
  selectUnleasedPendingEvents,
} from '../store/tables/webhook-events.ts';
import { claimRecordLease, type LeasedRecord, releaseRecordLease, renewRecordLease } from '../store/tables/webhook-record-leases.ts';
import { type AffectedRecord, eraseRecordForPrivacy, removeMergedRecords } from '../use-cases/erase-record.ts';

/** HubSpot's privacy (GDPR) deletion event: the record is erased, not refreshed. */
const PRIVACY_DELETION = 'contact.privacyDeletion';
const isMerge = (subscriptionType: string) => subscriptionType.endsWith('.merge');

export interface WebhookProcessorOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** Reads the record again from HubSpot into the store; false when HubSpot no longer has it. */
  refresh(tenantId: string, objectType: ObjectType, objectId: string): Promise<boolean>;
  /** The jobs layer wires this to rescoring. Called after the refreshed record is stored. */
  onRecordChanged(tenantId: string, objectType: ObjectType, objectId: string): Promise<void>;
  /** Erases a record for privacy; returns the records linked to it (rescored next). Default: the store's erasure. */
  erase?(tenantId: string, objectType: ObjectType, objectId: string): Promise<AffectedRecord[]>;
  /** Removes records merged into `survivorId`; returns the records linked to them. Default: the store's removal. */
  removeMerged?(tenantId: string, objectType: ObjectType, mergedIds: string[], survivorId: string): Promise<AffectedRecord[]>;
  /** After this many failed attempts an event is parked as `failed` (kept for inspection, not retried). */
  maxAttempts?: number;
  /** Events read per round. */
  batchSize?: number;
  /** How long a record's lease lasts unless renewed (a holder renews it every third of this while refreshing). */
  leaseMs?: number;
}

export interface WebhookProcessor {
  /** Processes everything pending now; resolves with how many records were refreshed. */
  processPending(): Promise<{ records: number; events: number; failed: number }>;
  /** Starts processing in the background (coalesced); errors are logged. */
  kick(): void;
  /** Resolves when no background round is running. */
  idle(): Promise<void>;
  /**
   * Kicks every `intervalMs` as well: events whose refresh failed, or whose holder died (once its lease has
   * expired), are otherwise retried only when the next webhook arrives. Returns a stop that waits for the
   * round in progress.
   */
  retryEvery(intervalMs: number): () => Promise<void>;
}

/** What one processor works with, settled once when it is created. */
interface ProcessorContext {
  db: Kysely<Database>;
  logger: Logger;
  refresh: WebhookProcessorOptions['refresh'];
  onRecordChanged: WebhookProcessorOptions['onRecordChanged'];
  erase: NonNullable<WebhookProcessorOptions['erase']>;
  removeMerged: NonNullable<WebhookProcessorOptions['removeMerged']>;
  maxAttempts: number;
  leaseMs: number;
  /** This processor's name on the leases it takes. */
  holder: string;
}

type Totals = Awaited<ReturnType<WebhookProcessor['processPending']>>;

/** One call of processPending: what it did, and the records it gave up on until the next call. */
interface Round {
  totals: Totals;
  /** Records whose refresh failed in this round: their later events must not overtake the failed one. */
  skip: Set<string>;
}

const keyOf = (record: LeasedRecord) => `${record.tenantId}/${record.objectType}/${record.objectId}`;

/** The first pending event of each record not skipped: one refresh per record covers all its events. */
function firstEventPerRecord(events: PendingWebhookEvent[], skip: Set<string>): Map<string, PendingWebhookEvent> {
  const records = new Map<string, PendingWebhookEvent>();
  for (const event of events) {
    const key = keyOf(event);
    if (!skip.has(key) && !records.has(key)) records.set(key, event);
  }
  return records;
}

/** Keeps the lease alive while a slow HubSpot call runs; the returned stop ends the renewals. */
function renewWhileRunning(context: ProcessorContext, record: LeasedRecord): () => void {
  const timer = setInterval(
    () => {
      renewRecordLease(context.db, record, context.holder, context.leaseMs)
        .then((renewed) => {
          if (!renewed) {
            context.logger.warn(
              { tenantId: record.tenantId, objectType: record.objectType, objectId: record.objectId },
              'webhook record lease lost',
            );
          }
        })
        .catch((error: unknown) => context.logger.warn({ err: error }, 'webhook record lease renewal failed'));
    },
    Math.max(1000, Math.floor(context.leaseMs / 3)),
  );
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A failed refresh counts one more attempt on all the record's events (they were taken together); at
 * `maxAttempts` they are parked as `failed`. Resolves with how many were parked.
 */
async function recordRefreshFailure(
  context: ProcessorContext,
  record: LeasedRecord,
  events: PendingWebhookEvent[],
  error: unknown,
): Promise<number> {
  const ids = events.map((e) => e.id);
  const attempts = Math.max(...events.map((e) => e.attempts)) + 1;
  const status = attempts >= context.maxAttempts ? 'failed' : 'pending';
  await markEventsAttempted(context.db, record.tenantId, ids, {
    attempts,
    status,
    lastError: error instanceof Error ? error.message.slice(0, 500) : 'unknown error',
  });
  context.logger.warn(
    { tenantId: record.tenantId, objectType: record.objectType, objectId: record.objectId, attempts, err: error },
    'webhook refresh failed',
  );
  return status === 'failed' ? ids.length : 0;
}

/**
 * What the record's pending events ask for. A privacy deletion (or any event of a record erased earlier, which
 * raced the tombstone) erases it and rescores what was linked to it; never a refresh, which would store it
 * again. A merge removes the merged-away records first, then the survivor is refreshed and rescored like any
 * changed record, and so are the records that were linked to the merged-away ones.
 */
async function settleRecord(context: ProcessorContext, record: LeasedRecord, events: PendingWebhookEvent[]): Promise<void> {
  const { tenantId, objectType, objectId } = record;
  const erased =
    events.some((e) => e.subscriptionType === PRIVACY_DELETION) ||
    (await selectErasedIds(context.db, tenantId, objectType, [objectId])).size > 0;
  if (erased) {
    for (const linked of await context.erase(tenantId, objectType, objectId))
      await context.onRecordChanged(tenantId, linked.objectType, linked.externalId);
    return;
  }
  const mergedIds = [...new Set(events.filter((e) => isMerge(e.subscriptionType)).flatMap((e) => e.relatedIds))];
  const affected = mergedIds.length > 0 ? await context.removeMerged(tenantId, objectType, mergedIds, objectId) : [];
  const exists = await context.refresh(tenantId, objectType, objectId);
  if (exists) await context.onRecordChanged(tenantId, objectType, objectId);
  for (const linked of affected) await context.onRecordChanged(tenantId, linked.objectType, linked.externalId);
}

/**
 * Refreshes one record under its lease and settles its events; a record another process holds is left to
 * that process. A failure before any event was read (the store itself) propagates: nothing was attempted.
 */
async function workRecord(context: ProcessorContext, record: LeasedRecord, round: Round): Promise<void> {
  if (!(await claimRecordLease(context.db, record, context.holder, context.leaseMs))) return;
  let stopRenewing = () => {};
  let events: PendingWebhookEvent[] = [];
  try {
    // Under the lease, read again: another process may have finished some of these since our read.
    events = await selectPendingEventsOfRecord(context.db, record.tenantId, record.objectType, record.objectId);
    if (events.length === 0) return;
    stopRenewing = renewWhileRunning(context, record);
    await settleRecord(context, record, events);
    // An erasure deleted the record's rows already; marking them done then touches nothing.
    await markEventsDone(
      context.db,
      record.tenantId,
      events.map((e) => e.id),
      new Date(),
    );
    round.totals.records++;
    round.totals.events += events.length;
  } catch (error) {
    // This record waits for the next round: its later events must not overtake this one.
    round.skip.add(keyOf(record));
    if (events.length === 0) throw error;
    round.totals.failed += await recordRefreshFailure(context, record, events, error);
  } finally {
    stopRenewing();
    await releaseRecordLease(context.db, record, context.holder);
  }
}

/** Reads the queue until nothing this processor can take is pending (records leased by others are skipped). */
async function processQueue(context: ProcessorContext, batchSize: number): Promise<Totals> {
  const round: Round = { totals: { records: 0, events: 0, failed: 0 }, skip: new Set() };
  for (;;) {
    const records = firstEventPerRecord(await selectUnleasedPendingEvents(context.db, batchSize), round.skip);
    if (records.size === 0) return round.totals;
    for (const record of records.values()) await workRecord(context, record, round);
  }
}

/**
 * Background rounds, coalesced: a kick while a round runs asks for one more round after it, never for a
 * second concurrent one (two rounds of one processor would compete for its own leases).
 */
function backgroundRounds(processPending: () => Promise<unknown>, logger: Logger): Omit<WebhookProcessor, 'processPending'> {
  let running: Promise<void> | undefined;
  let again = false;

  function kick() {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await processPending();
        } catch (error) {
          logger.error({ err: error }, 'webhook processing failed');
        }
      } while (again);
    })().finally(() => {
      running = undefined;
    });
  }
  const idle = async () => {
    while (running) await running;
  };

  return {
    kick,
    idle,
    retryEvery(intervalMs) {
      const timer = setInterval(kick, intervalMs);
      // Never the reason a process stays alive.
      timer.unref();
      return async () => {
        clearInterval(timer);
        await idle();
      };
    },
  };
}

/**
 * Works the webhook queue. Events of one record are handled in the order they happened, and all that are
 * pending collapse into one refresh (the refresh reads the record's current state, which covers them all).
 * A record whose refresh fails keeps its events pending, so a later event never overtakes an earlier one.
 *
 * Several `closewise serve` processes share one PostgreSQL, and each kicks its own processor on the webhooks
 * it receives. A record is therefore refreshed only under a lease row in `webhook_record_leases` (one row per
 * record, taken by INSERT … ON CONFLICT DO UPDATE … WHERE expired, so exactly one process wins). The lease
 * holder re-reads the record's pending events after taking it, refreshes, marks them done and releases; a
 * record's events are always taken together and only after the previous holder finished, so refreshes of
 * one record never overlap and stay in order. We chose this over one advisory lock per database held for a
 * whole round because a session advisory lock pins a pooled connection (the pool is 10) for every HubSpot
 * call of the round, and funnels all webhook work through one process; a lease row holds no connection
 * between queries and lets processes share the work record by record. Its cost: a process that dies
 * mid-refresh leaves that record waiting until its lease expires (`leaseMs`; a live holder renews it while
 * its HubSpot call runs). Nothing is stranded: a round skips records leased by others, and the holder reads
 * the queue again after releasing, until nothing it can take is pending. On PGlite (one process) the same
 * code runs and the lease is always free.
 */
export function createWebhookProcessor(options: WebhookProcessorOptions): WebhookProcessor {
  const context: ProcessorContext = {
    db: options.db,
    logger: options.logger,
    refresh: options.refresh,
    onRecordChanged: options.onRecordChanged,
    erase: options.erase ?? ((tenantId, objectType, id) => eraseRecordForPrivacy(options.db, tenantId, objectType, id, new Date())),
    removeMerged:
      options.removeMerged ??
      ((tenantId, objectType, mergedIds, survivorId) => removeMergedRecords(options.db, tenantId, objectType, mergedIds, survivorId)),
    maxAttempts: options.maxAttempts ?? 5,
    // 30 s, renewed every 10 s while a refresh runs: a dead holder's records wait at most that long.
    leaseMs: options.leaseMs ?? 30_000,
    // Unique per processor: two processors in one process (tests) must not share leases either.
    holder: `${hostname()}:${process.pid}:${randomUUID()}`,
  };
  const batchSize = options.batchSize ?? 500;
  const processPending = () => processQueue(context, batchSize);
  return { processPending, ...backgroundRounds(processPending, options.logger) };
}
