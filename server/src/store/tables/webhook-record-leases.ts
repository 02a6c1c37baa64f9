import { type Kysely, sql } from 'kysely';
import type { Database, ObjectType } from '../schema.ts';

/**
 * The `webhook_record_leases` table: which process is refreshing a record from its webhook events now. One
 * row per record at most, so two processes on one database never refresh the same record at once; a lease
 * lasts `leaseMs` from the database's clock unless renewed, so a crashed holder's lease expires.
 */
export interface LeasedRecord {
  tenantId: string;
  objectType: ObjectType;
  objectId: string;
}

/** The database's now + leaseMs: every process compares lease times on the one clock. */
function leaseEnd(leaseMs: number) {
  return sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval`;
}

/**
 * Takes the record's lease when it is free or expired (INSERT … ON CONFLICT DO UPDATE … WHERE expired, so
 * exactly one of several racing processes wins); false when another holder has it.
 */
export async function claimRecordLease(db: Kysely<Database>, record: LeasedRecord, holder: string, leaseMs: number): Promise<boolean> {
  const taken = await db
    .insertInto('webhook_record_leases')
    .values({
      tenant_id: record.tenantId,
      object_type: record.objectType,
      object_id: record.objectId,
      holder,
      expires_at: leaseEnd(leaseMs),
    })
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

/** Extends the holder's lease by `leaseMs` from now; false when the holder no longer has it (it expired and was taken). */
export async function renewRecordLease(db: Kysely<Database>, record: LeasedRecord, holder: string, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable('webhook_record_leases')
    .set({ expires_at: leaseEnd(leaseMs) })
    .where('tenant_id', '=', record.tenantId)
    .where('object_type', '=', record.objectType)
    .where('object_id', '=', record.objectId)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives the lease up; a lease another holder has taken meanwhile is left alone. */
export async function releaseRecordLease(db: Kysely<Database>, record: LeasedRecord, holder: string): Promise<void> {
  await db
    .deleteFrom('webhook_record_leases')
    .where('tenant_id', '=', record.tenantId)
    .where('object_type', '=', record.objectType)
    .where('object_id', '=', record.objectId)
    .where('holder', '=', holder)
    .execute();
}

/** Removes any lease row of the record, whoever holds it (an erasure; the holder's release is then a no-op). */
export async function deleteLeasesOfRecord(db: Kysely<Database>, tenantId: string, objectType: ObjectType, id: string): Promise<void> {
  await db
    .deleteFrom('webhook_record_leases')
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('object_id', '=', id)
    .execute();
}
