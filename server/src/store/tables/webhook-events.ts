import { type Kysely, sql } from 'kysely';
import type { Database, ObjectType, WebhookEventStatus } from '../schema.ts';

/**
 * The `webhook_events` table: HubSpot's webhook queue. The HTTP router enqueues; the job layer's webhook
 * processor reads what is pending, record by record, and marks the outcome. The queue is worked across
 * tenants (one processor per process serves every portal), so the pending read is the one function here
 * that is not scoped by tenant; everything that acts on events is.
 */
export interface QueuedEvent {
  tenantId: string;
  subscriptionId: string;
  eventId: string;
  occurredAt: number;
  objectType: ObjectType;
  objectId: string;
  subscriptionType: string;
  propertyName: string | null;
}

/** A pending event, as the processor needs it: which record, and how often its refresh failed so far. */
export interface PendingWebhookEvent {
  id: number;
  tenantId: string;
  objectType: ObjectType;
  objectId: string;
  attempts: number;
}

/**
 * Stores events durably before HubSpot gets its 200. A redelivered event (same subscription, event id and
 * time) is dropped by the unique key. Personal data (property values) is never stored: we re-read the record.
 */
export async function enqueueEvents(db: Kysely<Database>, events: QueuedEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const result = await db
    .insertInto('webhook_events')
    .values(
      events.map((e) => ({
        tenant_id: e.tenantId,
        subscription_id: e.subscriptionId,
        event_id: e.eventId,
        occurred_at: String(e.occurredAt),
        object_type: e.objectType,
        object_id: e.objectId,
        subscription_type: e.subscriptionType,
        property_name: e.propertyName,
      })),
    )
    .onConflict((oc) => oc.columns(['subscription_id', 'event_id', 'occurred_at']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

function toPending(row: {
  id: number;
  tenant_id: string;
  object_type: ObjectType;
  object_id: string;
  attempts: number;
}): PendingWebhookEvent {
  return { id: row.id, tenantId: row.tenant_id, objectType: row.object_type, objectId: row.object_id, attempts: row.attempts };
}

/**
 * The oldest pending events of every tenant, in the order they happened, leaving out records another
 * process holds an unexpired lease on (webhook_record_leases): that holder reads the queue again after
 * releasing them.
 */
export async function selectUnleasedPendingEvents(db: Kysely<Database>, limit: number): Promise<PendingWebhookEvent[]> {
  const rows = await db
    .selectFrom('webhook_events as e')
    .select(['e.id', 'e.tenant_id', 'e.object_type', 'e.object_id', 'e.attempts'])
    .where('e.status', '=', 'pending')
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
    .limit(limit)
    .execute();
  return rows.map(toPending);
}

/** One record's pending events in the order they happened (read again under the record's lease). */
export async function selectPendingEventsOfRecord(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  objectId: string,
): Promise<PendingWebhookEvent[]> {
  const rows = await db
    .selectFrom('webhook_events')
    .select(['id', 'tenant_id', 'object_type', 'object_id', 'attempts'])
    .where('status', '=', 'pending')
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('object_id', '=', objectId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  return rows.map(toPending);
}

/** The record was refreshed: its events are done. */
export async function markEventsDone(db: Kysely<Database>, tenantId: string, ids: number[], processedAt: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('webhook_events')
    .set({ status: 'done', processed_at: processedAt })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
}

/** The refresh failed: the events stay pending for another attempt, or are parked as `failed`. */
export async function markEventsAttempted(
  db: Kysely<Database>,
  tenantId: string,
  ids: number[],
  outcome: { attempts: number; status: Exclude<WebhookEventStatus, 'done'>; lastError: string },
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('webhook_events')
    .set({ attempts: outcome.attempts, status: outcome.status, last_error: outcome.lastError })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
}
