import { applyBins, fitBins } from './binning.ts';
import { boost } from './boost.ts';
import { fitCalibration } from './calibration-guard.ts';
import { encodeTable, fitLevels } from './encode.ts';
import { type RowSplit, stratifiedHoldout, timeHoldout } from './split-data.ts';
import type { RawTable } from './table.ts';
import { type Ensemble, leafIndex } from './tree.ts';
import type { Calibration, CalibrationCheck, FeatureSpecEntry, GbdtParams, ImportanceEntry } from './types.ts';

export interface FittedModel {
  spec: FeatureSpecEntry[];
  ensemble: Ensemble;
  calibration: Calibration;
  calibrationCheck: CalibrationCheck;
  importance: ImportanceEntry[];
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
  const calibrationMargins =
    slices.calibration === slices.earlyStopping ? result.validMargins : marginsOfRows(result.ensemble, x, slices.calibration);
  const calibrationLabels = Float64Array.from(slices.calibration, (r) => labels[r] as number);
  let positives = 0;
  for (const r of rows) positives += labels[r] as number;
  const guarded = fitCalibration(params.calibration, calibrationMargins, calibrationLabels, positives / Math.max(rows.length, 1));
  const totalGain = result.gain.reduce((a, b) => a + b, 0) || 1;
  const importance = spec
    .map((feature, f) => ({ feature: feature.name, gain: (result.gain[f] as number) / totalGain, splits: result.splits[f] as number }))
    .sort((a, b) => b.gain - a.gain);
  return {
    spec,
    ensemble: result.ensemble,
    calibration: guarded.calibration,
    calibrationCheck: guarded.check,
    importance,
    iterations: result.iterations,
    x,
    fitRows: slices.fit,
    validRows: slices.earlyStopping,
    calibrationRows: slices.calibration,
    calibrationMargins,
    otherLevels,
  };
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
