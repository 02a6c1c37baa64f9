import { applyBins, fitBins } from './binning.ts';
import { boost } from './boost.ts';
import { fitCalibration } from './calibration-guard.ts';
import { encodeTable, fitLevels } from './encode.ts';
import { fitLogistic } from './linear-fit.ts';
import { type LinearModel, linearContributions, linearMarginsOfRows } from './linear-model.ts';
import { type ScoredCandidate, selectCandidate } from './select.ts';
import { type RowSplit, stratifiedHoldout, timeHoldout } from './split-data.ts';
import type { RawTable } from './table.ts';
import { type Ensemble, leafIndex } from './tree.ts';
import type { Calibration, CalibrationCheck, FeatureSpecEntry, GbdtParams, ImportanceEntry, ModelKind, ModelSelection } from './types.ts';

/** The model fitModel chose, as exported. */
export type ChosenModel = { kind: 'gbdt'; ensemble: Ensemble } | { kind: 'logistic'; linear: LinearModel };

export interface FittedModel {
  spec: FeatureSpecEntry[];
  model: ChosenModel;
  selection: ModelSelection;
  /** The logistic regression's chosen L2 strength, when it was a candidate. */
  logisticL2?: number;
  calibration: Calibration;
  calibrationCheck: CalibrationCheck;
  importance: ImportanceEntry[];
  /** Trees of the chosen model (0 for the logistic regression). */
  iterations: number;
  /** The model input of every table row, as encoded with this model's levels. */
  x: Float32Array;
  fitRows: Uint32Array;
  /** Rows that drove early stopping. */
  validRows: Uint32Array;
  /** Rows calibration was fitted on (the early-stopping rows when calibrationFraction is 0). */
  calibrationRows: Uint32Array;
  /** Uncalibrated margins of calibrationRows (what calibration was fitted on). */
  calibrationMargins: Float64Array;
  otherLevels: { feature: string; levels: number; rows: number }[];
}

export interface FitOptions {
  params: GbdtParams;
  seed: number;
  time?: ArrayLike<number> | undefined;
  /** Default: both (see TrainInput.candidates). */
  candidates?: ModelKind[] | undefined;
  onIteration?: (iteration: number, validLoss: number) => void;
}

export interface FitSlices {
  fit: Uint32Array;
  earlyStopping: Uint32Array;
  calibration: Uint32Array;
}

/** A hold-out of `fraction` of rows: the newest when time is known, else stratified random. */
export function holdoutOf(
  labels: ArrayLike<number>,
  rows: Uint32Array,
  fraction: number,
  seed: number,
  time: ArrayLike<number> | undefined,
): RowSplit {
  return time ? timeHoldout(time, fraction, rows) : stratifiedHoldout(labels, rows, fraction, seed);
}

/**
 * Fit rows, then an early-stopping slice, then (newest) a calibration slice of their own, so calibration is
 * fitted on margins the iteration count was not chosen on. With calibrationFraction 0 both share one slice,
 * split exactly as before the slices were separated.
 */
export function fitSlices(
  labels: ArrayLike<number>,
  rows: Uint32Array,
  params: GbdtParams,
  seed: number,
  time?: ArrayLike<number>,
): FitSlices {
  const held = params.validationFraction + params.calibrationFraction;
  const outer = holdoutOf(labels, rows, held, seed, time);
  if (params.calibrationFraction === 0) return { fit: outer.train, earlyStopping: outer.test, calibration: outer.test };
  const inner = holdoutOf(labels, outer.test, params.calibrationFraction / held, seed + 1, time);
  return { fit: outer.train, earlyStopping: inner.train, calibration: inner.test };
}

/**
 * Fits encoders, bins, trees and calibration on `rows` of the table. Levels and bins are learned on the fit
 * slice only; early stopping and calibration each use their own slice (see fitSlices).
 */
export function fitModel(table: RawTable, labels: ArrayLike<number>, rows: Uint32Array, options: FitOptions): FittedModel {
  const { params, seed } = options;
  const slices = fitSlices(labels, rows, params, seed, options.time);
  const otherLevels: FittedModel['otherLevels'] = [];
  const spec: FeatureSpecEntry[] = table.features.map((feature, f) => {
    const entry: FeatureSpecEntry = { name: feature.name, type: feature.type };
    if (feature.monotone) entry.monotone = feature.monotone;
    const column = table.categorical[f];
    if (column) {
      const fitted = fitLevels(column, labels, slices.fit, {
        maxCategories: params.maxCategories,
        minCount: params.minCategoryCount,
        smoothing: params.categorySmoothing,
      });
      entry.levels = fitted.levels;
      if (fitted.pooledLevels > 0) otherLevels.push({ feature: feature.name, levels: fitted.pooledLevels, rows: fitted.pooledRows });
    }
    return entry;
  });
  const F = spec.length;
  const x = encodeTable(table, spec);
  const mapper = fitBins(x, F, slices.fit, params.maxBins, seed);
  const bins = applyBins(x, F, mapper);
  const monotone = Int8Array.from(table.features, (feature) => feature.monotone ?? 0);
  const result = boost({
    bins,
    F,
    mapper,
    labels,
    trainRows: slices.fit,
    validRows: slices.earlyStopping,
    params,
    monotone,
    seed,
    ...(options.onIteration ? { onIteration: options.onIteration } : {}),
  });
  const candidates = new Set(options.candidates ?? DEFAULT_CANDIDATES);
  // The trees alone honour monotone constraints, so a constrained fit keeps to them.
  const logisticAllowed = candidates.has('logistic') && !table.features.some((feature) => feature.monotone);
  const scored: ScoredCandidate[] = candidates.has('gbdt') || !logisticAllowed ? [{ kind: 'gbdt', validMargins: result.validMargins }] : [];
  let linear: LinearModel | null = null;
  if (logisticAllowed) {
    linear = fitLogistic(x, spec, labels, slices.fit, slices.earlyStopping).model;
    scored.push({ kind: 'logistic', validMargins: linearMarginsOfRows(linear, x, slices.earlyStopping) });
  }
  const validLabels = Uint8Array.from(slices.earlyStopping, (r) => labels[r] as number);
  const selection = selectCandidate(scored, validLabels, options.time ? 'time' : 'stratified');
  const model: ChosenModel =
    selection.chosen === 'logistic' && linear ? { kind: 'logistic', linear } : { kind: 'gbdt', ensemble: result.ensemble };
  const calibrationMargins =
    slices.calibration === slices.earlyStopping
      ? (scored.find((c) => c.kind === model.kind)?.validMargins as Float64Array)
      : marginsOf(model, x, slices.calibration);
  const calibrationLabels = Float64Array.from(slices.calibration, (r) => labels[r] as number);
  let positives = 0;
  for (const r of rows) positives += labels[r] as number;
  const guarded = fitCalibration(params.calibration, calibrationMargins, calibrationLabels, positives / Math.max(rows.length, 1));
  const importance =
    model.kind === 'gbdt' ? treeImportance(spec, result.gain, result.splits) : linearImportance(spec, model.linear, x, slices.fit);
  return {
    spec,
    model,
    selection,
    ...(linear ? { logisticL2: linear.l2 } : {}),
    calibration: guarded.calibration,
    calibrationCheck: guarded.check,
    importance,
    iterations: model.kind === 'gbdt' ? result.iterations : 0,
    x,
    fitRows: slices.fit,
    validRows: slices.earlyStopping,
    calibrationRows: slices.calibration,
    calibrationMargins,
    otherLevels,
  };
}

export const DEFAULT_CANDIDATES: ModelKind[] = ['gbdt', 'logistic'];

function treeImportance(spec: FeatureSpecEntry[], gain: ArrayLike<number>, splits: ArrayLike<number>): ImportanceEntry[] {
  let totalGain = 0;
  for (let f = 0; f < gain.length; f++) totalGain += gain[f] as number;
  totalGain ||= 1;
  return spec
    .map((feature, f) => ({ feature: feature.name, gain: (gain[f] as number) / totalGain, splits: splits[f] as number }))
    .sort((a, b) => b.gain - a.gain);
}

/** A linear model's importance: each feature's share of the mean |exact contribution| over the fit slice. */
function linearImportance(spec: FeatureSpecEntry[], linear: LinearModel, x: Float32Array, rows: Uint32Array): ImportanceEntry[] {
  const F = spec.length;
  const phi = new Float64Array(F);
  const total = new Float64Array(F);
  for (const r of rows) {
    phi.fill(0);
    linearContributions(linear, x, r * F, phi);
    for (let f = 0; f < F; f++) total[f] = (total[f] as number) + Math.abs(phi[f] as number);
  }
  const sum = total.reduce((a, b) => a + b, 0) || 1;
  return spec.map((feature, f) => ({ feature: feature.name, gain: (total[f] as number) / sum, splits: 0 })).sort((a, b) => b.gain - a.gain);
}

/** Margins of selected rows under the chosen model. */
export function marginsOf(model: ChosenModel, x: Float32Array, rows: Uint32Array): Float64Array {
  return model.kind === 'gbdt' ? marginsOfRows(model.ensemble, x, rows) : linearMarginsOfRows(model.linear, x, rows);
}

/** Margins of selected rows of a row-major matrix. */
export function marginsOfRows(ensemble: Ensemble, x: Float32Array, rows: Uint32Array): Float64Array {
  const F = ensemble.nFeatures;
  const out = new Float64Array(rows.length).fill(ensemble.baseScore);
  for (const tree of ensemble.trees) {
    for (let k = 0; k < rows.length; k++) out[k] = (out[k] as number) + (tree.value[leafIndex(tree, x, (rows[k] as number) * F)] as number);
  }
  return out;
}
