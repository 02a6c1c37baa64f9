import type { Kysely } from 'kysely';
import type { Database, ObjectType } from '../schema.ts';

/** The `webhook_events` table (migration 004-webhook-events). */
export interface WebhookEventsTable {
  id: string;
  tenant_id: string;
  subscription_id: string;
  event_id: string;
  occurred_at: string;
  object_type: ObjectType;
  object_id: string;
  subscription_type: string;
  property_name: string | null;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  last_error: string | null;
  received_at: Date;
  processed_at: Date | null;
}

/** The `webhook_record_leases` table (migration 006-webhook-record-leases): who is refreshing a record now. */
export interface WebhookRecordLeasesTable {
  tenant_id: string;
  object_type: ObjectType;
  object_id: string;
  holder: string;
  expires_at: Date;
}

export type QueueDb = Kysely<Database & { webhook_events: WebhookEventsTable; webhook_record_leases: WebhookRecordLeasesTable }>;

export function queueDb(db: Kysely<Database>): QueueDb {
  return db.withTables<{ webhook_events: WebhookEventsTable; webhook_record_leases: WebhookRecordLeasesTable }>();
}

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

/**
 * Stores events durably before HubSpot gets its 200. A redelivered event (same subscription, event id and
 * time) is dropped by the unique key. Personal data (property values) is never stored: we re-read the record.
 */
export async function enqueueEvents(db: Kysely<Database>, events: QueuedEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const result = await queueDb(db)
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
      })) as never,
    )
    .onConflict((oc) => oc.columns(['subscription_id', 'event_id', 'occurred_at']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
