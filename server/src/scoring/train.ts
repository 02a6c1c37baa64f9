import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { scanDataQuality } from './data-quality.ts';
import { buildRows, featuresFor, objectTypeOf } from './datasets.ts';
import {
  checkDriftOfRows,
  type DriftCheck,
  expectedCalibrationError,
  type FeatureDef,
  type FeatureSpec,
  loadScorer,
  rocAuc,
  trainModel,
} from './engine.ts';
import type { FeatureInfo, FeatureRow } from './features/types.ts';
import { historyUnknownExclusions } from './history-coverage.ts';
import { type HistorySignal, historySignal } from './history-signal.ts';
import { aucLeaks, type Exclusion, postOutcomeLeaks } from './leakage.ts';
import { champion, insertModel, promote, type StoredCard, type StoredModel } from './model-store.ts';
import { type ProgressFn, phaseProgress } from './phase-progress.ts';
import { buildPortalStats, type PortalStats } from './portal-stats.ts';
import { loadPrior } from './priors.ts';
import { capSnapshots, contactSnapshots, conversionTime, dealSnapshots, type ModelTarget, type Snapshot, timeSplit } from './snapshots.ts';
import { loadTenantData, type TenantData } from './tenant-data.ts';
import { pipelinesWithoutProposalStage } from './timeline.ts';
import { DAY_MS, type QualityLog } from './values.ts';

export const MODEL_TARGETS: ModelTarget[] = ['deal_win_at_creation', 'deal_win_after_proposal', 'contact_close_90d', 'contact_fit'];

/**
 * Small, strongly regularised trees: portals have hundreds to a few thousand closed records. On the synthetic
 * portal (seeds 1–3, time hold-out) 4 leaves with large leaves beat the engine's defaults (31 leaves) and
 * 6–10 leaves on every target. A quarter of the (newest) training rows validate and calibrate, with patient
 * early stopping: with a 10% slice the validation loss was so noisy that training stopped after 2 trees.
 * Leaves hold at least 1 row in 50 (20..80), so a portal at the 40 + 40 minimum still grows trees.
 */
/** Bounds on the rows a model trains and is tested on; above them records are sampled (capSnapshots). */
const MAX_TRAINING_SNAPSHOTS = 50_000;
const MAX_HOLDOUT_SNAPSHOTS = 25_000;

/**
 * The trees alone, not the engine's model selection (trees vs logistic regression). Measured when selection
 * came in: on the full-size synthetic portal (accuracy.test.ts, seed 1) selection keeps the trees on every
 * target (same AUC and ECE, ~10 s more training); on the small portal of scoring.test.ts it switches both
 * contact targets to the logistic regression (hold-out AUC 0.772 → 0.775 and 0.672 → 0.733) but doubles one
 * ECE (0.024 → 0.048), and here the slice that would choose is also the one that calibrates. Not yet shown
 * to be no worse, so portals keep the trees until the acceptance run over seeds says otherwise.
 */
const SCORING_CANDIDATES: ('gbdt' | 'logistic')[] = ['gbdt'];

function trainingParams(rows: number) {
  return {
    maxLeaves: 4,
    minSamplesLeaf: Math.min(80, Math.max(20, Math.round(rows / 50))),
    learningRate: 0.05,
    l2: 10,
    maxIterations: 300,
    validationFraction: 0.25,
    earlyStoppingRounds: 40,
    // Thin portals: the quarter both stops and calibrates (the engine's calibration guard bounds it), and
    // nothing more is held back inside trainModel: the figures this layer reports come from its own time
    // hold-out, which neither touches.
    calibrationFraction: 0,
    testFraction: 0,
  };
}

export interface HoldoutReport {
  recordIds: string[];
  /** The moment each hold-out row is scored at (its snapshot), and whether it is the record's first snapshot. */
  times: number[];
  primary: boolean[];
  labels: number[];
  predictions: number[];
  auc: number;
  ece: number;
}

export interface TrainedModelReport {
  target: ModelTarget;
  /** Whether the history predicts outcomes (portal models with a two-class hold-out only). */
  signal?: HistorySignal | null;
  source: 'portal' | 'prior';
  version: number;
  champion: boolean;
  holdout: HoldoutReport;
  excludedFeatures: Exclusion[];
  /** Why this model (e.g. "thin data: 6 won / 4 lost closed deals, minimum 40 / 40"). */
  note: string;
}

export interface TrainingReport {
  tenantId: string;
  trainedAt: string;
  models: TrainedModelReport[];
  dataQuality: { field: string; issue: string; count: number }[];
}

export type { ProgressFn };

/** What training reads; TrainContext adds the store, which only the champion/challenger steps use. */
interface FitContext {
  data: TenantData;
  stats: PortalStats;
  now: number;
  seed: number;
  quality: QualityLog;
  onSnapshots: ((target: ModelTarget, snapshots: readonly Snapshot[]) => void) | undefined;
}

interface TrainContext extends FitContext {
  db: Kysely<Database>;
}

export async function trainTenantModels(
  db: Kysely<Database>,
  tenantId: string,
  options: {
    now: Date;
    seed?: number;
    onProgress?: ProgressFn;
    targets?: ModelTarget[];
    /** Sees every snapshot a target is built from (before the split): which records a training used. */
    onSnapshots?: (target: ModelTarget, snapshots: readonly Snapshot[]) => void;
  },
): Promise<TrainingReport> {
  const now = options.now.getTime();
  const targets = options.targets ?? MODEL_TARGETS;
  const phases = phaseProgress(options.onProgress ?? (() => undefined));
  phases.start('loading tenant data');
  const data = await loadTenantData(db, tenantId);
  const stats = buildPortalStats(data);
  const quality = scanDataQuality(data, stats, now);
  const ctx: TrainContext = { db, data, stats, now, seed: options.seed ?? 1, quality, onSnapshots: options.onSnapshots };
  const models: TrainedModelReport[] = [];
  for (const [index, target] of targets.entries()) {
    phases.start(`training ${target} (${index + 1} of ${targets.length})`);
    models.push(await trainTarget(ctx, target));
  }
  phases.end();
  return { tenantId, trainedAt: options.now.toISOString(), models, dataQuality: quality.summary() };
}

function snapshotsFor(ctx: FitContext, target: ModelTarget): Snapshot[] {
  if (target === 'deal_win_at_creation' || target === 'deal_win_after_proposal') return dealSnapshots(ctx.stats, target);
  return contactSnapshots(ctx.data, ctx.now, target);
}

/** What the after-proposal model says while no pipeline has a first-proposal stage. */
export const WAITING_FOR_PROPOSAL_STAGE =
  'waiting for a first-proposal stage: choose the stage where proposals go out, per pipeline, on the settings page';

/** Whether the portal has enough closed history for its own model of this target. */
function sufficiency(ctx: FitContext, target: ModelTarget, primary: Snapshot[]): { enough: boolean; note: string } {
  const s = ctx.data.settings;
  if (target === 'deal_win_after_proposal' && primary.length === 0 && pipelinesWithoutProposalStage(ctx.data).length > 0) {
    return { enough: false, note: WAITING_FOR_PROPOSAL_STAGE };
  }
  const positives = primary.filter((x) => x.label === 1).length;
  const negatives = primary.length - positives;
  if (objectTypeOf(target) === 'deal') {
    const enough = positives >= s.minWonDeals && negatives >= s.minLostDeals;
    return {
      enough,
      note: `${positives} won / ${negatives} lost closed deals to train on (minimum ${s.minWonDeals} / ${s.minLostDeals})`,
    };
  }
  const enough = primary.length >= s.minContacts && positives >= s.minConversions;
  return {
    enough,
    note: `${primary.length} contacts with a known 90-day outcome to train on, ${positives} converted (minimum ${s.minContacts} / ${s.minConversions})`,
  };
}

function project(rows: FeatureRow[], infos: FeatureInfo[]): FeatureRow[] {
  return rows.map((row) => Object.fromEntries(infos.map((info) => [info.name, row[info.name] ?? null])));
}

function metrics(labels: number[], predictions: number[]): { auc: number; ece: number } {
  const both = labels.includes(0) && labels.includes(1);
  return {
    auc: both ? rocAuc(labels, predictions) : Number.NaN,
    ece: labels.length > 0 ? expectedCalibrationError(labels, predictions) : Number.NaN,
  };
}

async function predictWith(model: { onnx: Uint8Array; featureSpec: FeatureSpec }, rows: FeatureRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const scorer = await loadScorer({ onnx: model.onnx, featureSpec: model.featureSpec });
  return Array.from(await scorer.predict(rows));
}

function outcomesOf(
  ctx: FitContext,
  target: ModelTarget,
  snapshots: Snapshot[],
): { objectType: 'deal' | 'contact'; recordId: string; at: number }[] {
  const out: { objectType: 'deal' | 'contact'; recordId: string; at: number }[] = [];
  for (const s of snapshots) {
    if (!s.primary) continue;
    if (objectTypeOf(target) === 'deal') {
      const closedAt = ctx.stats.facts.get(s.recordId)?.closedAt;
      if (closedAt !== null && closedAt !== undefined) out.push({ objectType: 'deal', recordId: s.recordId, at: closedAt });
    } else {
      const converted = conversionTime(ctx.data, s.recordId);
      // A contact's outcome is known at conversion, or when its 90-day window ended without one.
      out.push({ objectType: 'contact', recordId: s.recordId, at: converted ?? s.t + 90 * DAY_MS });
    }
  }
  return out;
}

interface TargetSplit {
  snapshots: Snapshot[];
  full: { train: Snapshot[]; holdout: Snapshot[]; cutoff: number };
  /** The time split with very large portals sampled down (by whole records). */
  split: { train: Snapshot[]; holdout: Snapshot[]; cutoff: number };
  enough: boolean;
  note: string;
}

function splitTarget(ctx: FitContext, target: ModelTarget): TargetSplit {
  const snapshots = snapshotsFor(ctx, target);
  ctx.onSnapshots?.(target, snapshots);
  // The split is made on every record; only then are very large portals sampled down (by whole records).
  const full = timeSplit(snapshots);
  // The minimums count the records the model would train on, not those it is tested on.
  const { enough, note } = sufficiency(
    ctx,
    target,
    full.train.filter((s) => s.primary),
  );
  const split = {
    ...full,
    train: capSnapshots(full.train, MAX_TRAINING_SNAPSHOTS, ctx.seed),
    holdout: capSnapshots(full.holdout, MAX_HOLDOUT_SNAPSHOTS, ctx.seed),
  };
  return { snapshots, full, split, enough, note };
}

/**
 * Every input of a model was excluded (e.g. a CRM that syncs no history for any stated field the fit model
 * reads): there is nothing to train on, so the target falls back as thin data does, and says why.
 */
class NoUsableFeaturesError extends Error {
  readonly exclusions: Exclusion[];
  constructor(exclusions: Exclusion[]) {
    const first = exclusions[0];
    super(`every input was excluded (${exclusions.length}${first ? `, e.g. ${first.feature}: ${first.reason}` : ''})`);
    this.exclusions = exclusions;
  }
}

/** The leakage guard, then the engine: the portal's own model of this target, trained on `train`. */
async function fitPortalModel(ctx: FitContext, target: ModelTarget, train: Snapshot[], snapshots: Snapshot[]) {
  const infos = featuresFor(target, ctx.data);
  const trainRows = buildRows(target, ctx.data, ctx.stats, train);
  const trainLabels = train.map((s) => s.label as number);
  const exclusions = [
    ...historyUnknownExclusions(ctx.data, infos),
    ...aucLeaks(infos, trainRows, trainLabels),
    ...postOutcomeLeaks(ctx.data, infos, outcomesOf(ctx, target, snapshots)),
  ];
  const excludedNames = new Set(exclusions.map((e) => e.feature));
  const kept = infos.filter((info) => !excludedNames.has(info.name));
  if (kept.length === 0) throw new NoUsableFeaturesError(dedupe(exclusions));
  const features = kept.map((info) => ({ name: info.name, type: info.kind }));
  const trainInputs = project(trainRows, kept);
  const bundle = await trainModel({
    features,
    rows: trainInputs,
    labels: trainLabels,
    time: train.map((s) => s.t),
    seed: ctx.seed,
    params: trainingParams(trainRows.length),
    candidates: SCORING_CANDIDATES,
  });
  return { bundle, kept, features, trainInputs, exclusions };
}

/**
 * The model trainTenantModels would train for a target on this data at `now`, without reading or writing the
 * store: the portal's own model, or the shipped prior when the data is thin (an earlier champion of the portal,
 * which a real retraining would keep, is not consulted). For backtests on the store as of a past moment.
 */
export async function trainTargetInMemory(
  data: TenantData,
  target: ModelTarget,
  options: { now: number; seed: number },
): Promise<{ source: 'portal' | 'prior'; onnx: Uint8Array; featureSpec: FeatureSpec; features: FeatureInfo[]; note: string }> {
  const stats = buildPortalStats(data);
  const quality = scanDataQuality(data, stats, options.now);
  const ctx: FitContext = { data, stats, now: options.now, seed: options.seed, quality, onSnapshots: undefined };
  const { snapshots, split, enough, note } = splitTarget(ctx, target);
  if (!enough) {
    const prior = await loadPrior(target);
    if (!prior) throw new Error(`no prior model for ${target} in models/: run models/build-priors.ts`);
    return {
      source: 'prior',
      onnx: prior.onnx,
      featureSpec: prior.featureSpec,
      features: prior.card.features,
      note: `thin data: ${note}; using shipped prior ${prior.priorId}`,
    };
  }
  const fitted = await fitPortalModel(ctx, target, split.train, snapshots).catch((error: unknown) => {
    if (error instanceof NoUsableFeaturesError) return error;
    throw error;
  });
  if (fitted instanceof NoUsableFeaturesError) {
    const prior = await loadPrior(target);
    if (!prior) throw new Error(`no prior model for ${target} in models/: run models/build-priors.ts`);
    return { source: 'prior', onnx: prior.onnx, featureSpec: prior.featureSpec, features: prior.card.features, note: fitted.message };
  }
  const { bundle, kept } = fitted;
  return { source: 'portal', onnx: bundle.onnx, featureSpec: bundle.featureSpec, features: kept, note };
}

async function trainTarget(ctx: TrainContext, target: ModelTarget): Promise<TrainedModelReport> {
  const { snapshots, full, split, enough, note } = splitTarget(ctx, target);
  const holdoutRows = buildRows(target, ctx.data, ctx.stats, split.holdout);
  const holdoutLabels = split.holdout.map((s) => s.label as number);
  const holdoutIds = split.holdout.map((s) => s.recordId);
  const holdoutTimes = split.holdout.map((s) => s.t);
  const holdoutPrimary = split.holdout.map((s) => s.primary);
  const current = await champion(ctx.db, ctx.data.tenantId, target);

  if (!enough)
    return usePrior(
      ctx,
      target,
      current,
      { rows: holdoutRows, labels: holdoutLabels, ids: holdoutIds, times: holdoutTimes, primary: holdoutPrimary },
      `thin data: ${note}`,
    );

  const fitted = await fitPortalModel(ctx, target, split.train, snapshots).catch((error: unknown) => {
    if (error instanceof NoUsableFeaturesError) return error;
    throw error;
  });
  if (fitted instanceof NoUsableFeaturesError)
    return usePrior(
      ctx,
      target,
      current,
      { rows: holdoutRows, labels: holdoutLabels, ids: holdoutIds, times: holdoutTimes, primary: holdoutPrimary },
      fitted.message,
    );
  const { bundle, kept, features, trainInputs, exclusions } = fitted;
  const featureSpec = bundle.featureSpec;
  const predictions = await predictWith({ onnx: bundle.onnx, featureSpec }, holdoutRows);
  const { auc, ece } = metrics(holdoutLabels, predictions);
  const signal = historySignal(holdoutLabels, predictions, holdoutPrimary);
  const drift = holdoutDrift(features, split, trainInputs, project(holdoutRows, kept), holdoutLabels, predictions, ctx.seed);
  const card: StoredCard = {
    ...bundle.card,
    drift,
    warnings: withDriftWarning(bundle.card.warnings, bundle.card.drift, drift),
    ...(signal ? { signal } : {}),
    target,
    source: 'portal',
    features: kept,
    excludedFeatures: dedupe(exclusions),
    dataQuality: ctx.quality.summary(),
    holdout: {
      auc: Number.isFinite(auc) ? auc : null,
      ece: Number.isFinite(ece) ? ece : null,
      rows: holdoutRows.length,
      positives: holdoutLabels.filter((y) => y === 1).length,
      cutoff: Number.isFinite(split.cutoff) ? new Date(split.cutoff).toISOString() : null,
    },
    trainedOnData: {
      snapshots: split.train.length,
      records: new Set(split.train.map((s) => s.recordId)).size,
      ...(split.train.length < full.train.length ? { sampledFromSnapshots: full.train.length } : {}),
      sufficiency: note,
    },
  };
  const stored = await insertModel(ctx.db, ctx.data.tenantId, {
    target,
    trainedAt: new Date(ctx.now),
    card,
    featureSpec,
    onnx: bundle.onnx,
    metrics: { auc: card.holdout.auc, ece: card.holdout.ece, holdoutRows: holdoutRows.length },
  });
  const decision = await challengerWins(ctx, current, auc, holdoutRows, holdoutLabels);
  if (decision.wins) await promote(ctx.db, ctx.data.tenantId, target, stored.id);
  return {
    target,
    source: 'portal',
    version: stored.version,
    champion: decision.wins,
    holdout: { recordIds: holdoutIds, times: holdoutTimes, primary: holdoutPrimary, labels: holdoutLabels, predictions, auc, ece },
    signal,
    excludedFeatures: card.excludedFeatures,
    note: `${note}; ${decision.note}`,
  };
}

/**
 * Drift judged on this layer's own hold-out: the newest records, which neither trained nor calibrated the model
 * (trainModel's own check ran on its calibration slice, whose probabilities were fitted there). One row per
 * record, its first snapshot, on both sides: a record's later snapshots share its outcome, and the check's
 * noise bounds assume independent rows.
 */
function holdoutDrift(
  features: FeatureDef[],
  split: { train: Snapshot[]; holdout: Snapshot[] },
  trainInputs: FeatureRow[],
  holdoutInputs: FeatureRow[],
  holdoutLabels: number[],
  predictions: number[],
  seed: number,
): DriftCheck {
  const first = (snapshots: Snapshot[]) => snapshots.flatMap((s, i) => (s.primary ? [i] : []));
  const train = first(split.train);
  const holdout = first(split.holdout);
  return checkDriftOfRows({
    features,
    reference: train.map((i) => trainInputs[i] as FeatureRow),
    newest: holdout.map((i) => holdoutInputs[i] as FeatureRow),
    newestLabels: holdout.map((i) => holdoutLabels[i] as number),
    newestPredictions: holdout.map((i) => predictions[i] as number),
    newestTimes: holdout.map((i) => (split.holdout[i] as Snapshot).t),
    seed,
  });
}

/** The card's warnings with the engine's drift warning replaced by the one from the hold-out. */
function withDriftWarning(warnings: string[], engine: DriftCheck, holdout: DriftCheck): string[] {
  const kept = warnings.filter((w) => w !== engine.warning);
  return holdout.warning ? [...kept, holdout.warning] : kept;
}

function dedupe(exclusions: Exclusion[]): Exclusion[] {
  const seen = new Map<string, Exclusion>();
  for (const e of exclusions) if (!seen.has(e.feature)) seen.set(e.feature, e);
  return [...seen.values()];
}

/**
 * Champion/challenger: the new model replaces the champion only if, on the same hold-out, its AUC is at
 * least the champion's minus the tolerance — or the champion is a prior, or older than the maximum age.
 */
async function challengerWins(
  ctx: TrainContext,
  current: StoredModel | null,
  auc: number,
  rows: FeatureRow[],
  labels: number[],
): Promise<{ wins: boolean; note: string }> {
  if (!current) return { wins: true, note: 'first model of this portal' };
  if (current.card.source === 'prior')
    return { wins: true, note: `replaces prior v${current.version}: enough data for the portal's own model` };
  const ageDays = (ctx.now - current.trainedAt.getTime()) / DAY_MS;
  if (ageDays > ctx.data.settings.championMaxAgeDays)
    return { wins: true, note: `champion v${current.version} is ${Math.round(ageDays)} days old` };
  const championAuc = metrics(labels, await predictWith(current, rows)).auc;
  if (!Number.isFinite(championAuc) || !Number.isFinite(auc)) return { wins: false, note: 'hold-out has one class only: champion kept' };
  const tolerance = ctx.data.settings.championAucTolerance;
  const wins = auc >= championAuc - tolerance;
  return {
    wins,
    note: `hold-out AUC ${auc.toFixed(3)} vs champion v${current.version} ${championAuc.toFixed(3)} (tolerance ${tolerance}): ${wins ? 'promoted' : 'champion kept'}`,
  };
}

async function usePrior(
  ctx: TrainContext,
  target: ModelTarget,
  current: StoredModel | null,
  holdout: { rows: FeatureRow[]; labels: number[]; ids: string[]; times: number[]; primary: boolean[] },
  note: string,
): Promise<TrainedModelReport> {
  // A portal that once had enough data keeps its own champion rather than falling back.
  let model = current?.card.source === 'portal' ? current : null;
  let finalNote = model ? `${note}; keeps its own champion v${model.version}` : note;
  if (!model) {
    const prior = await loadPrior(target);
    if (!prior) throw new Error(`no prior model for ${target} in models/: run models/build-priors.ts`);
    const priorId = prior.priorId;
    if (current && current.card['priorId'] === priorId) model = current;
    else {
      const stored = await insertModel(ctx.db, ctx.data.tenantId, {
        target,
        trainedAt: prior.trainedAt,
        card: { ...prior.card, priorId, dataQuality: ctx.quality.summary() },
        featureSpec: prior.featureSpec,
        onnx: prior.onnx,
        metrics: { prior: priorId },
      });
      await promote(ctx.db, ctx.data.tenantId, target, stored.id);
      model = (await champion(ctx.db, ctx.data.tenantId, target))!;
    }
    finalNote = `${note}; using shipped prior ${priorId}`;
  }
  const predictions = await predictWith(model, holdout.rows);
  const { auc, ece } = metrics(holdout.labels, predictions);
  return {
    target,
    source: model.card.source,
    version: model.version,
    champion: true,
    holdout: { recordIds: holdout.ids, times: holdout.times, primary: holdout.primary, labels: holdout.labels, predictions, auc, ece },
    excludedFeatures: model.card.excludedFeatures,
    note: finalNote,
  };
}
