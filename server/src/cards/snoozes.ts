import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, ObjectType } from '../store/schema.ts';

/**
 * Actions a rep snoozed, kept under `tenants.settings.snoozed` as { "deal/123/action-id": "YYYY-MM-DD" }.
 * A snooze ends on its date, so nothing needs cleaning up for the card to show the action again.
 */
const snoozedSchema = z.record(z.string(), z.iso.date()).catch({});

const keyOf = (objectType: ObjectType, id: string, actionId: string) => `${objectType}/${id}/${actionId}`;

/** The action ids of this record still snoozed today, from the tenant's stored `snoozed` map. */
export function activeSnoozes(stored: unknown, objectType: ObjectType, id: string, today: string): Set<string> {
  const snoozed = snoozedSchema.parse(stored ?? {});
  const prefix = `${objectType}/${id}/`;
  return new Set(
    Object.entries(snoozed)
      .filter(([key, until]) => key.startsWith(prefix) && until > today)
      .map(([key]) => key.slice(prefix.length)),
  );
}

export async function snoozedActions(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  id: string,
  today: string,
): Promise<Set<string>> {
  const row = await db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
  return activeSnoozes((row?.settings as Record<string, unknown> | undefined)?.snoozed, objectType, id, today);
}

export async function snoozeAction(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  id: string,
  actionId: string,
  until: string,
): Promise<void> {
  // One atomic jsonb update, so two reps snoozing at once cannot overwrite each other.
  await db
    .updateTable('tenants')
    .set({
      settings: sql`jsonb_set(settings, '{snoozed}', coalesce(settings->'snoozed', '{}'::jsonb) || jsonb_build_object(${keyOf(objectType, id, actionId)}::text, ${until}::text))`,
    })
    .where('id', '=', tenantId)
    .execute();
}
