import type { Kysely } from 'kysely';
import { NotFoundError } from '../errors/errors.ts';
import type { StoredCard } from '../store/columns/model-card.ts';
import type { Database } from '../store/schema.ts';
import {
  activateModel,
  insertCandidateModel,
  type ModelRow,
  selectActiveModel,
  selectLatestTrainedAt,
  selectModelId,
  selectModels,
} from '../store/tables/models.ts';
import type { FeatureSpec } from './engine.ts';
import type { ModelTarget } from './snapshots.ts';

/**
 * Versioned models per tenant and target. Exactly one version per target is `active` (the champion);
 * challengers that lost stay `candidate`, former champions become `retired`. Nothing is deleted, so an
 * admin can roll back to any version and every score names the version that produced it.
 */
export { featureInfoSchema, type StoredCard, storedCardSchema } from '../store/columns/model-card.ts';

export interface StoredModel {
  id: number;
  target: ModelTarget;
  version: number;
  status: 'active' | 'candidate' | 'retired';
  trainedAt: Date;
  card: StoredCard;
  featureSpec: FeatureSpec;
  onnx: Uint8Array;
}

/** Only this module writes model rows, always with a ModelTarget, so the stored target is one. */
const withTarget = <R extends ModelRow>(row: R): R & { target: ModelTarget } => ({ ...row, target: row.target as ModelTarget });

export async function champion(db: Kysely<Database>, tenantId: string, target: ModelTarget): Promise<StoredModel | null> {
  const row = await selectActiveModel(db, tenantId, target);
  return row ? withTarget(row) : null;
}

export async function listModels(db: Kysely<Database>, tenantId: string, target?: ModelTarget): Promise<Omit<StoredModel, 'onnx'>[]> {
  return (await selectModels(db, tenantId, target)).map(withTarget);
}

export async function insertModel(
  db: Kysely<Database>,
  tenantId: string,
  model: {
    target: ModelTarget;
    trainedAt: Date;
    card: StoredCard;
    featureSpec: FeatureSpec;
    onnx: Uint8Array;
    metrics: Record<string, unknown>;
  },
): Promise<{ id: number; version: number }> {
  return insertCandidateModel(db, tenantId, model);
}

/** Makes one version the champion; the previous champion is retired. */
export async function promote(db: Kysely<Database>, tenantId: string, target: ModelTarget, id: number): Promise<void> {
  await activateModel(db, tenantId, target, id);
}

/** Admin rollback: the named version becomes the champion again. */
export async function rollbackModel(db: Kysely<Database>, tenantId: string, target: ModelTarget, version: number): Promise<void> {
  const id = await selectModelId(db, tenantId, target, version);
  if (id === null) throw new NotFoundError(`model ${target} version ${version} does not exist for this tenant`);
  await promote(db, tenantId, target, id);
}

/** Scheduled retraining is due when the newest model of any target is older than the interval (or there is none). */
export async function isRetrainDue(db: Kysely<Database>, tenantId: string, now: Date, everyDays: number): Promise<boolean> {
  const latest = await selectLatestTrainedAt(db, tenantId);
  if (!latest) return true;
  return now.getTime() - latest.getTime() >= everyDays * 86_400_000;
}
