import type { Snoozed } from '../store/columns/tenant-settings.ts';
import type { ObjectType } from '../store/schema.ts';

/**
 * Actions a rep snoozed, kept under `tenants.settings.snoozed` as { "deal/123/action-id": "YYYY-MM-DD" }.
 * A snooze ends on its date, so nothing needs cleaning up for the card to show the action again.
 */
export const snoozeKey = (objectType: ObjectType, id: string, actionId: string) => `${objectType}/${id}/${actionId}`;

/** The action ids of this record still snoozed today, from the tenant's stored `snoozed` map. */
export function activeSnoozes(snoozed: Snoozed, objectType: ObjectType, id: string, today: string): Set<string> {
  const prefix = `${objectType}/${id}/`;
  return new Set(
    Object.entries(snoozed)
      .filter(([key, until]) => key.startsWith(prefix) && until > today)
      .map(([key]) => key.slice(prefix.length)),
  );
}
