import { type Kysely, sql } from 'kysely';
import { type Snoozed, snoozedSchema } from '../columns/tenant-settings.ts';
import type { Database } from '../schema.ts';

/** The tenant's `settings.snoozed` map ({} when the tenant does not exist or snoozed nothing). */
export async function selectSnoozed(db: Kysely<Database>, tenantId: string): Promise<Snoozed> {
  // Only the one section: the rest of the settings is not this read's to parse.
  const row = await db
    .selectFrom('tenants')
    .select(sql<unknown>`settings -> 'snoozed'`.as('snoozed'))
    .where('id', '=', tenantId)
    .executeTakeFirst();
  return snoozedSchema.parse(row?.snoozed ?? {});
}

/** Adds (or moves) one snooze; `key` names the record and the action, `until` is YYYY-MM-DD. */
export async function addSnooze(db: Kysely<Database>, tenantId: string, key: string, until: string): Promise<void> {
  // One atomic jsonb update, so two reps snoozing at once cannot overwrite each other.
  await db
    .updateTable('tenants')
    .set({
      settings: sql`jsonb_set(settings, '{snoozed}', coalesce(settings->'snoozed', '{}'::jsonb) || jsonb_build_object(${key}::text, ${until}::text))`,
    })
    .where('id', '=', tenantId)
    .execute();
}

/** Removes the snoozes of one record's actions (their keys are `type/id/action`, see cards/snoozes.ts). */
export async function deleteSnoozesOfRecord(db: Kysely<Database>, tenantId: string, objectType: string, id: string): Promise<void> {
  const prefix = `${objectType}/${id}/`;
  await db
    .updateTable('tenants')
    .set({
      settings: sql`jsonb_set(settings, '{snoozed}', (
        select coalesce(jsonb_object_agg(s.key, s.value), '{}'::jsonb)
        from jsonb_each(coalesce(settings->'snoozed', '{}'::jsonb)) as s
        where left(s.key, ${prefix.length}) <> ${prefix}::text))`,
    })
    .where('id', '=', tenantId)
    .execute();
}
