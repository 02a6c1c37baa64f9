import { type Kysely, sql } from 'kysely';
import { type FeatureSpec, parseFeatureSpec } from '../../ml/index.ts';
import { type StoredCard, type StoredDrift, storedCardSchema, storedDriftSchema } from '../columns/model-card.ts';
import { parseStored, StoredValueError } from '../columns/parse-column.ts';
import type { Database, ModelsTable } from '../schema.ts';

/**
 * The `models` table: versioned models per tenant and target, with their card and feature spec parsed
 * here, once. The ONNX bytes are read only where a model is loaded to score.
 */
export interface ModelRow {
  id: number;
  target: string;
  version: number;
  status: ModelsTable['status'];
  trainedAt: Date;
  card: StoredCard;
  featureSpec: FeatureSpec;
}

export interface ModelRowWithOnnx extends ModelRow {
  onnx: Uint8Array;
}

function featureSpecOf(value: unknown, where: string): FeatureSpec {
  try {
    return parseFeatureSpec(value, `stored ${where}`);
  } catch (error) {
    throw new StoredValueError(`${(error as Error).message} (malformed)`);
  }
}

function toModelRow(
  tenantId: string,
  row: {
    id: number;
    target: string;
    version: number;
    status: ModelsTable['status'];
    trained_at: Date;
    card: unknown;
    feature_spec: unknown;
  },
): ModelRow {
  const where = `models row ${row.id} (tenant ${tenantId}, ${row.target} v${row.version})`;
  return {
    id: row.id,
    target: row.target,
    version: row.version,
    status: row.status,
    trainedAt: new Date(row.trained_at),
    card: parseStored(storedCardSchema, row.card, `card of ${where}`),
    featureSpec: featureSpecOf(row.feature_spec, `feature_spec of ${where}`),
  };
}

const listed = ['id', 'target', 'version', 'status', 'trained_at', 'card', 'feature_spec'] as const;

/** The target's champion (its `active` version), ONNX included; null when it has none. */
export async function selectActiveModel(db: Kysely<Database>, tenantId: string, target: string): Promise<ModelRowWithOnnx | null> {
  const row = await db
    .selectFrom('models')
    .select([...listed, 'onnx'])
    .where('tenant_id', '=', tenantId)
    .where('target', '=', target)
    .where('status', '=', 'active')
    .orderBy('version', 'desc')
    .executeTakeFirst();
  if (!row) return null;
  const onnx = row.onnx instanceof Uint8Array ? row.onnx : new Uint8Array(row.onnx);
  return { ...toModelRow(tenantId, row), onnx };
}

/** Each target's champion id, without card or ONNX: enough to tell whether cached scorers are still current. */
export async function selectActiveModelIds(db: Kysely<Database>, tenantId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('models')
    .select(['target', 'id'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'active')
    .orderBy('version')
    .execute();
  // As selectActiveModel reads it: the highest active version wins.
  return new Map(rows.map((row) => [row.target, row.id]));
}

/** Every version (of one target, or of all), by target then version; without the ONNX bytes. */
export async function selectModels(db: Kysely<Database>, tenantId: string, target?: string): Promise<ModelRow[]> {
  let query = db.selectFrom('models').select(listed).where('tenant_id', '=', tenantId);
  if (target) query = query.where('target', '=', target);
  const rows = await query.orderBy('target').orderBy('version').execute();
  return rows.map((row) => toModelRow(tenantId, row));
}

/** One version's card (for its hold-out metrics); null when the version does not exist. */
export async function selectModelCard(db: Kysely<Database>, tenantId: string, target: string, version: number): Promise<StoredCard | null> {
  const row = await db
    .selectFrom('models')
    .select(['id', 'card'])
    .where('tenant_id', '=', tenantId)
    .where('target', '=', target)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? parseStored(storedCardSchema, row.card, `card of models row ${row.id} (tenant ${tenantId}, ${target} v${version})`) : null;
}

/** A model version's card and when it was trained (what a card names the model by). */
export async function selectModelTraining(
  db: Kysely<Database>,
  tenantId: string,
  target: string,
  version: number,
): Promise<{ card: StoredCard; trainedAt: Date } | null> {
  const row = await db
    .selectFrom('models')
    .select(['id', 'card', 'trained_at'])
    .where('tenant_id', '=', tenantId)
    .where('target', '=', target)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) return null;
  const card = parseStored(storedCardSchema, row.card, `card of models row ${row.id} (tenant ${tenantId}, ${target} v${version})`);
  return { card, trainedAt: new Date(row.trained_at as unknown as string) };
}

export async function selectModelId(db: Kysely<Database>, tenantId: string, target: string, version: number): Promise<number | null> {
  const row = await db
    .selectFrom('models')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('target', '=', target)
    .where('version', '=', version)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** When the tenant's newest model (of any target) was trained; null when it has none. */
export async function selectLatestTrainedAt(db: Kysely<Database>, tenantId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('models')
    .select((eb) => eb.fn.max('trained_at').as('latest'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row?.latest ? new Date(row.latest) : null;
}

export interface NewModel {
  target: string;
  trainedAt: Date;
  card: StoredCard;
  featureSpec: FeatureSpec;
  onnx: Uint8Array;
  metrics: Record<string, unknown>;
}

/** Stores a new `candidate` version, numbered after the target's last one. */
export async function insertCandidateModel(
  db: Kysely<Database>,
  tenantId: string,
  model: NewModel,
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

/** Makes one version the target's champion; the previous champion is retired. */
export async function activateModel(db: Kysely<Database>, tenantId: string, target: string, id: number): Promise<void> {
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

/** Every tenant's champions (version and training time, no card or ONNX): the operator's status view. */
export async function selectActiveModelVersionsOfAllTenants(
  db: Kysely<Database>,
): Promise<{ tenantId: string; target: string; version: number; trainedAt: Date; drift: StoredDrift | null }[]> {
  const rows = await db
    .selectFrom('models')
    // Only the card's drift check: the rest of a card (features, hold-out tables) is not needed for a status line.
    .select(['tenant_id', 'target', 'version', 'trained_at', sql<unknown>`card -> 'drift'`.as('drift')])
    .where('status', '=', 'active')
    .execute();
  return rows.map((r) => {
    // A card without a (well-formed) check reads as "not checked", never as a failed status.
    const drift = storedDriftSchema.safeParse(r.drift);
    return {
      tenantId: r.tenant_id,
      target: r.target,
      version: r.version,
      trainedAt: new Date(r.trained_at),
      drift: drift.success ? drift.data : null,
    };
  });
}
