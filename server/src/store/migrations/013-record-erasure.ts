import type { Kysely } from 'kysely';

/**
 * Privacy erasure (HubSpot's `contact.privacyDeletion`, a GDPR delete) and merges.
 *
 * `erased_records` is the tombstone of a record erased for privacy: only a SHA-256 of (tenant, type, id), never
 * the id or anything else about the person, so the row does not itself identify them. The sync sink and the
 * webhook router check it, so a sync or an event that still sees the record (HubSpot may list it briefly
 * after the delete) does not bring it back.
 *
 * `webhook_events.related_ids`: the other records an event names besides its own (a merge's merged-away ids),
 * as a JSON array of id strings; null for every other event. An erasure deletes the rows that name the record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('erased_records')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('id_hash', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('erased_records_pk', ['tenant_id', 'object_type', 'id_hash'])
    .execute();
  await db.schema.alterTable('webhook_events').addColumn('related_ids', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhook_events').dropColumn('related_ids').execute();
  await db.schema.dropTable('erased_records').execute();
}
