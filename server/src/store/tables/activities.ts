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
