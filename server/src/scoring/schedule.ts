import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { isRetrainDue } from './model-store.ts';
import { readScoringSettings } from './settings.ts';
import { type ProgressFn, type TrainingReport, trainTenantModels } from './train.ts';

/**
 * The scheduled job's entry (default weekly, per tenant setting) and the on-demand one (`force`): retrains
 * when due; each new model still has to beat the champion's hold-out AUC (minus the tolerance) to serve.
 */
export async function retrainIfDue(
  db: Kysely<Database>,
  tenantId: string,
  options: { now: Date; force?: boolean; seed?: number; onProgress?: ProgressFn },
): Promise<TrainingReport | null> {
  const settings = await readScoringSettings(db, tenantId);
  if (!options.force && !(await isRetrainDue(db, tenantId, options.now, settings.retrainEveryDays))) return null;
  return trainTenantModels(db, tenantId, {
    now: options.now,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
