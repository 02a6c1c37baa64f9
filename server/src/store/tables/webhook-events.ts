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
  /** Other records the event names (a merge's merged-away ids); absent for most events. */
  relatedIds?: string[];
}

/** A pending event, as the processor needs it: which record, and how often its refresh failed so far. */
export interface PendingWebhookEvent {
  id: number;
  tenantId: string;
  objectType: ObjectType;
  objectId: string;
  attempts: number;
  /** HubSpot's subscription type: what happened (a privacy deletion and a merge are handled apart). */
  subscriptionType: string;
  relatedIds: string[];
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
        related_ids: e.relatedIds && e.relatedIds.length > 0 ? JSON.stringify(e.relatedIds) : null,
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
  subscription_type: string;
  related_ids: string[] | null;
}): PendingWebhookEvent {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    objectType: row.object_type,
    objectId: row.object_id,
    attempts: row.attempts,
    subscriptionType: row.subscription_type,
    relatedIds: Array.isArray(row.related_ids) ? row.related_ids.map(String) : [],
  };
}

/**
 * The oldest pending events of every tenant, in the order they happened, leaving out records another
 * process holds an unexpired lease on (webhook_record_leases): that holder reads the queue again after
 * releasing them.
 */
export async function selectUnleasedPendingEvents(db: Kysely<Database>, limit: number): Promise<PendingWebhookEvent[]> {
  const rows = await db
    .selectFrom('webhook_events as e')
    .select(['e.id', 'e.tenant_id', 'e.object_type', 'e.object_id', 'e.attempts', 'e.subscription_type', 'e.related_ids'])
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
    .select(['id', 'tenant_id', 'object_type', 'object_id', 'attempts', 'subscription_type', 'related_ids'])
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

/**
 * Removes every queued event about the record, or naming it among a merge's ids, whatever its status: an
 * erased record leaves no trace in the queue.
 */
export async function deleteEventsNamingRecord(db: Kysely<Database>, tenantId: string, objectType: ObjectType, id: string): Promise<void> {
  await db
    .deleteFrom('webhook_events')
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where((eb) => eb.or([eb('object_id', '=', id), sql<boolean>`related_ids @> ${JSON.stringify([id])}::jsonb`]))
    .execute();
}
