import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type Kysely, sql } from 'kysely';
import type { Logger } from '../logging/logger.ts';
import type { Database, ObjectType } from '../store/schema.ts';
import { queueDb } from '../store/tables/webhook-events.ts';

export interface WebhookProcessorOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** Reads the record again from HubSpot into the store; false when HubSpot no longer has it. */
  refresh(tenantId: string, objectType: ObjectType, objectId: string): Promise<boolean>;
  /** The jobs layer wires this to rescoring. Called after the refreshed record is stored. */
  onRecordChanged(tenantId: string, objectType: ObjectType, objectId: string): Promise<void>;
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

interface PendingRow {
  id: string;
  tenant_id: string;
  object_type: ObjectType;
  object_id: string;
  attempts: number;
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
  const db = queueDb(options.db);
  const maxAttempts = options.maxAttempts ?? 5;
  const batchSize = options.batchSize ?? 500;
  const leaseMs = options.leaseMs ?? 120_000;
  const leaseFor = sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval`;
  // Unique per processor: two processors in one process (tests) must not share leases either.
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  let running: Promise<void> | undefined;
  let again = false;

  /** Takes the record's lease when it is free or expired; false when another holder has it. */
  async function claim(row: PendingRow): Promise<boolean> {
    const taken = await db
      .insertInto('webhook_record_leases')
      .values({ tenant_id: row.tenant_id, object_type: row.object_type, object_id: row.object_id, holder, expires_at: leaseFor })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'object_type', 'object_id'])
          .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), expires_at: eb.ref('excluded.expires_at') }))
          .where('webhook_record_leases.expires_at', '<', sql<Date>`now()`),
      )
      .returning('holder')
      .executeTakeFirst();
    return taken !== undefined;
  }

  function leaseOf(row: PendingRow) {
    return db
      .updateTable('webhook_record_leases')
      .where('tenant_id', '=', row.tenant_id)
      .where('object_type', '=', row.object_type)
      .where('object_id', '=', row.object_id)
      .where('holder', '=', holder);
  }

  /** Keeps the lease alive while a slow HubSpot call runs; stops when `stop()` is called. */
  function renewWhileRunning(row: PendingRow): () => void {
    const timer = setInterval(
      () => {
        leaseOf(row)
          .set({ expires_at: leaseFor })
          .executeTakeFirst()
          .then((result) => {
            if (Number(result.numUpdatedRows) === 0) {
              options.logger.warn(
                { tenantId: row.tenant_id, objectType: row.object_type, objectId: row.object_id },
                'webhook record lease lost',
              );
            }
          })
          .catch((error: unknown) => options.logger.warn({ err: error }, 'webhook record lease renewal failed'));
      },
      Math.max(1000, Math.floor(leaseMs / 3)),
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  async function release(row: PendingRow): Promise<void> {
    await db
      .deleteFrom('webhook_record_leases')
      .where('tenant_id', '=', row.tenant_id)
      .where('object_type', '=', row.object_type)
      .where('object_id', '=', row.object_id)
      .where('holder', '=', holder)
      .execute();
  }

  async function processPending() {
    const totals = { records: 0, events: 0, failed: 0 };
    const skip = new Set<string>();
    for (;;) {
      const rows = (await db
        .selectFrom('webhook_events as e')
        .select(['e.id', 'e.tenant_id', 'e.object_type', 'e.object_id', 'e.attempts'])
        .where('e.status', '=', 'pending')
        // Records another process is refreshing: it reads the queue again after releasing them.
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('webhook_record_leases as l')
                .select('l.holder')
                .whereRef('l.tenant_id', '=', 'e.tenant_id')
                .whereRef('l.object_type', '=', 'e.object_type')
                .whereRef('l.object_id', '=', 'e.object_id')
                .where('l.expires_at', '>', sql<Date>`now()`),
            ),
          ),
        )
        .orderBy('e.occurred_at')
        .orderBy('e.id')
        .limit(batchSize)
        .execute()) as PendingRow[];
      const records = new Map<string, PendingRow>();
      for (const row of rows) {
        const key = `${row.tenant_id}/${row.object_type}/${row.object_id}`;
        if (!skip.has(key) && !records.has(key)) records.set(key, row);
      }
      if (records.size === 0) return totals;
      for (const [key, record] of records) {
        if (!(await claim(record))) continue;
        let stopRenewing = () => {};
        let events: PendingRow[] = [];
        try {
          // Under the lease, read again: another process may have finished some of these since our read.
          events = (await db
            .selectFrom('webhook_events')
            .select(['id', 'tenant_id', 'object_type', 'object_id', 'attempts'])
            .where('status', '=', 'pending')
            .where('tenant_id', '=', record.tenant_id)
            .where('object_type', '=', record.object_type)
            .where('object_id', '=', record.object_id)
            .orderBy('occurred_at')
            .orderBy('id')
            .execute()) as PendingRow[];
          if (events.length === 0) continue;
          const ids = events.map((e) => e.id);
          stopRenewing = renewWhileRunning(record);
          const exists = await options.refresh(record.tenant_id, record.object_type, record.object_id);
          if (exists) await options.onRecordChanged(record.tenant_id, record.object_type, record.object_id);
          await db.updateTable('webhook_events').set({ status: 'done', processed_at: new Date() }).where('id', 'in', ids).execute();
          totals.records++;
          totals.events += ids.length;
        } catch (error) {
          // This record waits for the next round: its later events must not overtake this one.
          skip.add(key);
          if (events.length > 0) {
            const ids = events.map((e) => e.id);
            const attempts = Math.max(...events.map((e) => e.attempts)) + 1;
            const status = attempts >= maxAttempts ? 'failed' : 'pending';
            if (status === 'failed') totals.failed += ids.length;
            await db
              .updateTable('webhook_events')
              .set({ attempts, status, last_error: error instanceof Error ? error.message.slice(0, 500) : 'unknown error' })
              .where('id', 'in', ids)
              .execute();
            options.logger.warn(
              { tenantId: record.tenant_id, objectType: record.object_type, objectId: record.object_id, attempts, err: error },
              'webhook refresh failed',
            );
          } else {
            throw error;
          }
        } finally {
          stopRenewing();
          await release(record);
        }
      }
    }
  }

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
          options.logger.error({ err: error }, 'webhook processing failed');
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
    processPending,
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
