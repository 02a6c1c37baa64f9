import type { Kysely } from 'kysely';
import { z } from 'zod';
import { NotFoundError } from '../errors/errors.ts';
import type { Database } from '../store/schema.ts';
import type { ModelTarget } from './snapshots.ts';

/**
 * Versioned models per tenant and target. Exactly one version per target is `active` (the champion);
 * challengers that lost stay `candidate`, former champions become `retired`. Nothing is deleted, so an
 * admin can roll back to any version and every score names the version that produced it.
 */
export const featureInfoSchema = z.object({
  name: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  source: z.string(),
  label: z.string(),
});

export const storedCardSchema = z
  .object({
    target: z.string(),
    source: z.enum(['portal', 'prior']),
    features: z.array(featureInfoSchema),
    excludedFeatures: z.array(z.object({ feature: z.string(), reason: z.string() })).default([]),
    dataQuality: z.array(z.object({ field: z.string(), issue: z.string(), count: z.number() })).default([]),
    holdout: z
      .object({
        auc: z.number().nullable(),
        ece: z.number().nullable(),
        rows: z.number(),
        positives: z.number(),
        cutoff: z.string().nullable(),
      })
      .partial()
      .default({}),
    trainedOnData: z.record(z.string(), z.unknown()).default({}),
  })
  .passthrough();

export type StoredCard = z.infer<typeof storedCardSchema>;

export interface StoredModel {
  id: number;
  target: ModelTarget;
  version: number;
  status: 'active' | 'candidate' | 'retired';
  trainedAt: Date;
  card: StoredCard;
  featureSpec: Record<string, unknown>;
  onnx: Uint8Array;
}

type ModelRow = Database['models'] extends infer T ? { [K in keyof T]: unknown } : never;

function toStored(row: ModelRow): StoredModel {
  return {
    id: row.id as number,
    target: row.target as ModelTarget,
    version: row.version as number,
    status: row.status as StoredModel['status'],
    trainedAt: new Date(row.trained_at as Date | string),
    card: storedCardSchema.parse(row.card),
    featureSpec: row.feature_spec as Record<string, unknown>,
    onnx: row.onnx instanceof Uint8Array ? row.onnx : new Uint8Array(row.onnx as ArrayBuffer),
  };
}

export async function champion(db: Kysely<Database>, tenantId: string, target: ModelTarget): Promise<StoredModel | null> {
  const row = await db
    .selectFrom('models')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('target', '=', target)
    .where('status', '=', 'active')
    .orderBy('version', 'desc')
    .executeTakeFirst();
  return row ? toStored(row) : null;
}

export async function listModels(db: Kysely<Database>, tenantId: string, target?: ModelTarget): Promise<Omit<StoredModel, 'onnx'>[]> {
  let query = db
    .selectFrom('models')
    .select(['id', 'target', 'version', 'status', 'trained_at', 'card', 'feature_spec', 'metrics'])
    .where('tenant_id', '=', tenantId);
  if (target) query = query.where('target', '=', target);
  const rows = await query.orderBy('target').orderBy('version').execute();
  return rows.map((row) => ({
    id: row.id,
    target: row.target as ModelTarget,
    version: row.version,
    status: row.status,
    trainedAt: new Date(row.trained_at),
    card: storedCardSchema.parse(row.card),
    featureSpec: row.feature_spec,
  }));
}

export async function insertModel(
  db: Kysely<Database>,
  tenantId: string,
  model: {
    target: ModelTarget;
    trainedAt: Date;
    card: StoredCard;
    featureSpec: object;
    onnx: Uint8Array;
    metrics: Record<string, unknown>;
  },
): Promise<{ id: number; version: number }> {
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('models')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('tenant_id', '=', tenantId)
      .where('target', '=', model.target)
      .executeTakeFirst();
    const version = Number(last?.version ?? 0) + 1;
    const inserted = await trx
      .insertInto('models')
      .values({
        tenant_id: tenantId,
        target: model.target,
        version,
        status: 'candidate',
        trained_at: model.trainedAt,
        metrics: JSON.stringify(model.metrics),
        card: JSON.stringify(model.card),
        feature_spec: JSON.stringify(model.featureSpec),
        onnx: model.onnx,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: inserted.id, version };
  });
}

/** Makes one version the champion; the previous champion is retired. */
export async function promote(db: Kysely<Database>, tenantId: string, target: ModelTarget, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('models')
      .set({ status: 'retired' })
      .where('tenant_id', '=', tenantId)
      .where('target', '=', target)
      .where('status', '=', 'active')
      .execute();
    await trx.updateTable('models').set({ status: 'active' }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  });
}

/** Admin rollback: the named version becomes the champion again. */
export async function rollbackModel(db: Kysely<Database>, tenantId: string, target: ModelTarget, version: number): Promise<void> {
  const row = await db
    .selectFrom('models')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('target', '=', target)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`model ${target} version ${version} does not exist for this tenant`);
  await promote(db, tenantId, target, row.id);
}

/** Scheduled retraining is due when the newest model of any target is older than the interval (or there is none). */
export async function isRetrainDue(db: Kysely<Database>, tenantId: string, now: Date, everyDays: number): Promise<boolean> {
  const row = await db
    .selectFrom('models')
    .select((eb) => eb.fn.max('trained_at').as('latest'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!row?.latest) return true;
  return now.getTime() - new Date(row.latest as Date | string).getTime() >= everyDays * 86_400_000;
}
