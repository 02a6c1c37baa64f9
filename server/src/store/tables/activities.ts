import type { Kysely, Selectable } from 'kysely';
import type { ActivitiesTable, Database } from '../schema.ts';

export type ActivityRow = Selectable<ActivitiesTable>;

/** Activities the CRM still lists, in time order (archived ones are no longer read for scoring). */
export async function selectLiveActivities(db: Kysely<Database>, tenantId: string): Promise<ActivityRow[]> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('archived', '=', false)
    .orderBy('occurred_at')
    .orderBy('kind')
    .orderBy('external_id')
    .execute();
}

/**
 * Removes the activities linked to this record and to nothing else (an email to one person is theirs alone),
 * with their associations; an activity another record shares is kept, and only its link to this one goes
 * (with the record's other associations). Returns how many activities were removed.
 */
export async function deleteActivitiesOnlyLinkedTo(db: Kysely<Database>, tenantId: string, type: string, id: string): Promise<number> {
  const removed = await db
    .deleteFrom('activities as a')
    .where('a.tenant_id', '=', tenantId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('associations as s')
          .select('s.from_id')
          .where('s.tenant_id', '=', tenantId)
          .whereRef('s.from_type', '=', 'a.kind')
          .whereRef('s.from_id', '=', 'a.external_id')
          .where('s.to_type', '=', type)
          .where('s.to_id', '=', id),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('associations as o')
            .select('o.from_id')
            .where('o.tenant_id', '=', tenantId)
            .whereRef('o.from_type', '=', 'a.kind')
            .whereRef('o.from_id', '=', 'a.external_id')
            .where((eb) => eb.or([eb('o.to_type', '!=', type), eb('o.to_id', '!=', id)])),
        ),
      ),
    )
    .returning(['a.kind', 'a.external_id'])
    .execute();
  for (const row of removed) {
    await db
      .deleteFrom('associations')
      .where('tenant_id', '=', tenantId)
      .where('from_type', '=', row.kind)
      .where('from_id', '=', row.external_id)
      .execute();
  }
  return removed.length;
}
