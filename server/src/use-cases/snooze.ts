import type { Kysely } from 'kysely';
import { activeSnoozes, snoozeKey } from '../cards/snoozes.ts';
import type { Database, ObjectType } from '../store/schema.ts';
import { liveRecordExists } from '../store/tables/crm-records.ts';
import { addSnooze, selectSnoozed } from '../store/tables/snoozes.ts';

/**
 * Snoozing a suggested action: the rep hides it until a date (YYYY-MM-DD) and every card of every CRM
 * leaves it out until then.
 */

/** Hides the action until `until`; false when the record is not the tenant's (or the CRM deleted it). */
export async function snoozeAction(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  id: string,
  actionId: string,
  until: string,
): Promise<boolean> {
  if (!(await liveRecordExists(db, tenantId, objectType, id))) return false;
  await addSnooze(db, tenantId, snoozeKey(objectType, id, actionId), until);
  return true;
}

/** The action ids of this record still snoozed on `today` (YYYY-MM-DD). */
export async function snoozedActions(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  id: string,
  today: string,
): Promise<Set<string>> {
  return activeSnoozes(await selectSnoozed(db, tenantId), objectType, id, today);
}
