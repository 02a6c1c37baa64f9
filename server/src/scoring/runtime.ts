import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { loadScorer, type Scorer } from './engine.ts';
import type { FeatureInfo, FeatureRow } from './features/types.ts';
import { champion, type StoredModel } from './model-store.ts';
import type { ModelTarget } from './snapshots.ts';
import { MODEL_TARGETS, trainTenantModels } from './train.ts';

/** A champion model ready to score: its stored row, its features, and an ONNX Runtime scorer created once. */
export interface LiveModel {
  model: StoredModel;
  features: FeatureInfo[];
  scorer: Scorer;
}

export type LiveModels = Record<ModelTarget, LiveModel>;

/**
 * Loads each target's champion; a target that has none yet is trained first (which falls back to the
 * shipped prior when the portal's data is thin), so scoring always has a model to name.
 */
export async function loadLiveModels(db: Kysely<Database>, tenantId: string, now: Date): Promise<LiveModels> {
  const found = new Map<ModelTarget, StoredModel>();
  for (const target of MODEL_TARGETS) {
    const model = await champion(db, tenantId, target);
    if (model) found.set(target, model);
  }
  const missing = MODEL_TARGETS.filter((t) => !found.has(t));
  if (missing.length > 0) {
    await trainTenantModels(db, tenantId, { now, targets: missing });
    for (const target of missing) {
      const model = await champion(db, tenantId, target);
      if (model) found.set(target, model);
    }
  }
  const out: Partial<LiveModels> = {};
  for (const target of MODEL_TARGETS) {
    const model = found.get(target);
    if (!model) throw new Error(`no model for ${target}`);
    out[target] = {
      model,
      features: model.card.features,
      scorer: await loadScorer({ onnx: model.onnx, featureSpec: model.featureSpec }),
    };
  }
  return out as LiveModels;
}

export function projectRow(row: FeatureRow, features: FeatureInfo[]): FeatureRow {
  return Object.fromEntries(features.map((f) => [f.name, row[f.name] ?? null]));
}

/**
 * Champions already loaded for a scope's rescore, per store, tenant and champion ids: creating four ONNX
 * sessions would cost a one-record rescore more than the record itself. Model row ids are never reused within
 * a database, so a retrain or rollback is never served from here; the cache is per store (db instance)
 * because two databases (a test's, a bench's) number their models alike. Beyond the cap the oldest go.
 */
const CACHE_LIMIT = 32;
const caches = new WeakMap<Kysely<Database>, Map<string, LiveModels>>();

export async function liveModelsFor(
  db: Kysely<Database>,
  tenantId: string,
  champions: ReadonlyMap<string, number>,
): Promise<LiveModels | null> {
  const cached = caches.get(db) ?? new Map<string, LiveModels>();
  caches.set(db, cached);
  const key = `${tenantId}\u0000${MODEL_TARGETS.map((t) => champions.get(t) ?? '-').join(',')}`;
  const hit = cached.get(key);
  if (hit) return hit;
  const out: Partial<LiveModels> = {};
  for (const target of MODEL_TARGETS) {
    const model = await champion(db, tenantId, target);
    // A champion changed between the two reads: let the caller take the full path.
    if (!model || model.id !== champions.get(target)) return null;
    out[target] = { model, features: model.card.features, scorer: await loadScorer({ onnx: model.onnx, featureSpec: model.featureSpec }) };
  }
  for (const stale of [...cached.keys()].filter((k) => k.startsWith(`${tenantId}\u0000`))) cached.delete(stale);
  if (cached.size >= CACHE_LIMIT) cached.delete(cached.keys().next().value as string);
  cached.set(key, out as LiveModels);
  return out as LiveModels;
}
