import type { Kysely } from 'kysely';
import type { Database, ObjectType } from '../store/schema.ts';
import { deleteActivitiesOnlyLinkedTo } from '../store/tables/activities.ts';
import { deleteAssociationsOfRecord, moveIncomingAssociations, selectLinkedRecords } from '../store/tables/associations.ts';
import { deleteCardActionKeysOfRecord } from '../store/tables/card-action-keys.ts';
import { deleteOutsideEditsOfRecord } from '../store/tables/crm-outside-edits.ts';
import { deleteRecord, selectRecordProperties } from '../store/tables/crm-records.ts';
import { deleteWrittenValuesOfRecord } from '../store/tables/crm-written-values.ts';
import { insertTombstone } from '../store/tables/erased-records.ts';
import { deleteHistoryOfRecord } from '../store/tables/property-history.ts';
import { deleteScoresMentioning, deleteScoresOfRecords } from '../store/tables/scores.ts';
import { deleteSnoozesOfRecord } from '../store/tables/snoozes.ts';
import { deleteEventsNamingRecord } from '../store/tables/webhook-events.ts';
import { deleteLeasesOfRecord } from '../store/tables/webhook-record-leases.ts';

/** A scored record whose inputs changed because another record was erased or merged away. */
export interface AffectedRecord {
  objectType: ObjectType;
  externalId: string;
}

const SCORED: readonly string[] = ['contact', 'company', 'deal'];

/** The rows that are only about the record itself: its row, history, score, writes, card keys, snoozes, queue rows. */
async function deleteOwnRows(trx: Kysely<Database>, tenantId: string, objectType: ObjectType, id: string): Promise<void> {
  await deleteHistoryOfRecord(trx, tenantId, objectType, id);
  await deleteRecord(trx, tenantId, objectType, id);
  await deleteScoresOfRecords(trx, tenantId, [{ objectType, externalId: id }]);
  await deleteWrittenValuesOfRecord(trx, tenantId, objectType, id);
  await deleteOutsideEditsOfRecord(trx, tenantId, objectType, id);
  await deleteCardActionKeysOfRecord(trx, tenantId, objectType, id);
  await deleteSnoozesOfRecord(trx, tenantId, objectType, id);
  await deleteEventsNamingRecord(trx, tenantId, objectType, id);
  await deleteLeasesOfRecord(trx, tenantId, objectType, id);
}

/**
 * A privacy deletion (HubSpot's GDPR delete, `contact.privacyDeletion`): everything the store holds about the
 * record goes, in one transaction — its row and property history, its associations, the activities that were
 * its alone (shared ones keep their other links), its score and those scores of linked records whose details
 * name it (the caller rescores every linked record), what Closewise wrote to it, its card action keys and their
 * stored responses, its snoozes, its outside edits, its webhook queue rows and leases. A tombstone (a hash of
 * the id only) keeps a sync or a late event from storing it again. Training reads the store, so the next
 * training cannot see it; models hold no per-record rows (trees over binned features, categorical levels kept
 * only when many training rows share them, counts). Idempotent: erasing an unknown or already erased record
 * removes nothing and changes nothing.
 * Returns the linked scored records, to be rescored without it.
 */
export async function eraseRecordForPrivacy(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  id: string,
  at: Date,
): Promise<AffectedRecord[]> {
  return db.transaction().execute(async (trx) => {
    const linked = (await selectLinkedRecords(trx, tenantId, objectType, id))
      .filter((r) => SCORED.includes(r.type))
      .map((r) => ({ objectType: r.type as ObjectType, externalId: r.id }));
    // Read before it goes: the name a linked record's score reasons may quote.
    const name = (await selectRecordProperties(trx, tenantId, objectType, id))?.name;
    await deleteScoresMentioning(trx, tenantId, linked, { id, texts: name && name.trim().length >= 3 ? [name] : [] });
    await deleteActivitiesOnlyLinkedTo(trx, tenantId, objectType, id);
    await deleteAssociationsOfRecord(trx, tenantId, objectType, id);
    await deleteOwnRows(trx, tenantId, objectType, id);
    await insertTombstone(trx, tenantId, objectType, id, at);
    return linked;
  });
}

/**
 * A merge: HubSpot deleted the merged-away records and moved their associations (activities, deals) to the
 * survivor; the store does the same, then the caller refreshes and rescores the survivor. No tombstone: the
 * ids are simply gone from HubSpot. Returns the records that were linked to the merged-away ones.
 */
export async function removeMergedRecords(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  mergedIds: readonly string[],
  survivorId: string,
): Promise<AffectedRecord[]> {
  return db.transaction().execute(async (trx) => {
    const affected = new Map<string, AffectedRecord>();
    for (const id of new Set(mergedIds)) {
      if (id === survivorId) continue;
      for (const r of await selectLinkedRecords(trx, tenantId, objectType, id)) {
        if (SCORED.includes(r.type) && !(r.type === objectType && r.id === survivorId))
          affected.set(`${r.type}/${r.id}`, { objectType: r.type as ObjectType, externalId: r.id });
      }
      await moveIncomingAssociations(trx, tenantId, objectType, id, survivorId);
      await deleteAssociationsOfRecord(trx, tenantId, objectType, id);
      await deleteOwnRows(trx, tenantId, objectType, id);
    }
    return [...affected.values()];
  });
}
