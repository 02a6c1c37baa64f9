import type { Kysely, Selectable } from 'kysely';
import type { Database, StagesTable } from '../schema.ts';

export type StageRow = Selectable<StagesTable>;

/** Every pipeline stage, in no particular order (scoring sorts them itself). */
export async function selectStages(db: Kysely<Database>, tenantId: string): Promise<StageRow[]> {
  return db.selectFrom('stages').selectAll().where('tenant_id', '=', tenantId).execute();
}

/** Stages by pipeline, each pipeline's in display order: what the settings page lists. */
export async function selectStagesInDisplayOrder(
  db: Kysely<Database>,
  tenantId: string,
): Promise<Pick<StageRow, 'pipeline_id' | 'stage_id' | 'label' | 'display_order' | 'outcome'>[]> {
  return db
    .selectFrom('stages')
    .select(['pipeline_id', 'stage_id', 'label', 'display_order', 'outcome'])
    .where('tenant_id', '=', tenantId)
    .orderBy('pipeline_id')
    .orderBy('display_order')
    .execute();
}
