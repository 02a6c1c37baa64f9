import { type Kysely, sql } from 'kysely';

/**
 * HubSpot's webhook events, queued durably before we answer HubSpot (it retries for 24 h on failure and
 * may deliver one event twice: (subscription_id, event_id, occurred_at) is the dedupe key), and the values
 * Closewise last wrote to each CRM record (so unchanged scores are never written again, and a write-back
 * killed mid-way repeats at most its in-flight batch).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('subscription_type', 'text', (c) => c.notNull())
    .addColumn('property_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('processed_at', 'timestamptz')
    .addUniqueConstraint('webhook_events_dedupe', ['subscription_id', 'event_id', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('webhook_events_pending_idx')
    .on('webhook_events')
    .columns(['status', 'tenant_id', 'object_type', 'object_id', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('crm_written_values')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('values', 'jsonb', (c) => c.notNull())
    .addColumn('written_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_written_values_pk', ['tenant_id', 'object_type', 'external_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('crm_written_values').ifExists().execute();
  await db.schema.dropTable('webhook_events').ifExists().execute();
}
