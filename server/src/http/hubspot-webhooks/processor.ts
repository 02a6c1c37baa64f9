import type { Kysely } from 'kysely';
import type { Logger } from '../../logging/logger.ts';
import type { Database, ObjectType } from '../../store/schema.ts';
import { queueDb } from './webhook-queue.ts';

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
}

export interface WebhookProcessor {
  /** Processes everything pending now; resolves with how many records were refreshed. */
  processPending(): Promise<{ records: number; events: number; failed: number }>;
  /** Starts processing in the background (coalesced); errors are logged. */
  kick(): void;
  /** Resolves when no background round is running. */
  idle(): Promise<void>;
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
 */
export function createWebhookProcessor(options: WebhookProcessorOptions): WebhookProcessor {
  const db = queueDb(options.db);
  const maxAttempts = options.maxAttempts ?? 5;
  const batchSize = options.batchSize ?? 500;
  let running: Promise<void> | undefined;
  let again = false;

  async function processPending() {
    const totals = { records: 0, events: 0, failed: 0 };
    const skip = new Set<string>();
    for (;;) {
      const rows = (await db
        .selectFrom('webhook_events')
        .select(['id', 'tenant_id', 'object_type', 'object_id', 'attempts'])
        .where('status', '=', 'pending')
        .orderBy('occurred_at')
        .orderBy('id')
        .limit(batchSize)
        .execute()) as PendingRow[];
      const byRecord = new Map<string, PendingRow[]>();
      for (const row of rows) {
        const key = `${row.tenant_id}/${row.object_type}/${row.object_id}`;
        if (skip.has(key)) continue;
        const list = byRecord.get(key) ?? [];
        list.push(row);
        byRecord.set(key, list);
      }
      if (byRecord.size === 0) return totals;
      for (const [key, events] of byRecord) {
        const first = events[0] as PendingRow;
        const ids = events.map((e) => e.id);
        try {
          const exists = await options.refresh(first.tenant_id, first.object_type, first.object_id);
          if (exists) await options.onRecordChanged(first.tenant_id, first.object_type, first.object_id);
          await db.updateTable('webhook_events').set({ status: 'done', processed_at: new Date() }).where('id', 'in', ids).execute();
          totals.records++;
          totals.events += ids.length;
        } catch (error) {
          // This record waits for the next round: its later events must not overtake this one.
          skip.add(key);
          const attempts = Math.max(...events.map((e) => e.attempts)) + 1;
          const status = attempts >= maxAttempts ? 'failed' : 'pending';
          if (status === 'failed') totals.failed += ids.length;
          await db
            .updateTable('webhook_events')
            .set({ attempts, status, last_error: error instanceof Error ? error.message.slice(0, 500) : 'unknown error' })
            .where('id', 'in', ids)
            .execute();
          options.logger.warn(
            { tenantId: first.tenant_id, objectType: first.object_type, objectId: first.object_id, attempts, err: error },
            'webhook refresh failed',
          );
        }
      }
    }
  }

  return {
    processPending,
    kick() {
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
    },
    idle: async () => {
      while (running) await running;
    },
  };
}
