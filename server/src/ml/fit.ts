import { applyBins, fitBins } from './binning.ts';
import { boost } from './boost.ts';
import { fitCalibration } from './calibration.ts';
import { encodeTable, fitLevels } from './encode.ts';
import { stratifiedHoldout, timeHoldout } from './split-data.ts';
import type { RawTable } from './table.ts';
import { type Ensemble, leafIndex } from './tree.ts';
import type { Calibration, FeatureSpecEntry, GbdtParams, ImportanceEntry } from './types.ts';

export interface FittedModel {
  spec: FeatureSpecEntry[];
  ensemble: Ensemble;
  calibration: Calibration;
  importance: ImportanceEntry[];
  iterations: number;
  /** The model input of every table row, as encoded with this model's levels. */
  x: Float32Array;
  fitRows: Uint32Array;
  validRows: Uint32Array;
  /** Uncalibrated margins of validRows (what calibration was fitted on). */
  validMargins: Float64Array;
}

export interface FitOptions {
  params: GbdtParams;
  seed: number;
  time?: ArrayLike<number> | undefined;
  onIteration?: (iteration: number, validLoss: number) => void;
}

/**
 * Fits encoders, bins, trees and calibration on `rows` of the table. A validation slice of those rows
 * (the newest when time is known, else a stratified random one) drives early stopping and calibration;
 * levels and bins are learned on the rest only.
 */
export function fitModel(table: RawTable, labels: ArrayLike<number>, rows: Uint32Array, options: FitOptions): FittedModel {
  const { params, seed } = options;
  const split = options.time
    ? timeHoldout(options.time, params.validationFraction, rows)
    : stratifiedHoldout(labels, rows, params.validationFraction, seed);
  const spec: FeatureSpecEntry[] = table.features.map((feature, f) => {
    const entry: FeatureSpecEntry = { name: feature.name, type: feature.type };
    if (feature.monotone) entry.monotone = feature.monotone;
    const column = table.categorical[f];
    if (column) entry.levels = fitLevels(column, labels, split.train, params.maxCategories, params.categorySmoothing);
    return entry;
  });
  const F = spec.length;
  const x = encodeTable(table, spec);
  const mapper = fitBins(x, F, split.train, params.maxBins, seed);
  const bins = applyBins(x, F, mapper);
  const monotone = Int8Array.from(table.features, (feature) => feature.monotone ?? 0);
  const result = boost({
    bins,
    F,
    mapper,
    labels,
    trainRows: split.train,
    validRows: split.test,
    params,
    monotone,
    seed,
    ...(options.onIteration ? { onIteration: options.onIteration } : {}),
  });
  const validLabels = Float64Array.from(split.test, (r) => labels[r] as number);
  const calibration = fitCalibration(params.calibration, result.validMargins, validLabels);
  const totalGain = result.gain.reduce((a, b) => a + b, 0) || 1;
  const importance = spec
    .map((feature, f) => ({ feature: feature.name, gain: (result.gain[f] as number) / totalGain, splits: result.splits[f] as number }))
    .sort((a, b) => b.gain - a.gain);
  return {
    spec,
    ensemble: result.ensemble,
    calibration,
    importance,
    iterations: result.iterations,
    x,
    fitRows: split.train,
    validRows: split.test,
    validMargins: result.validMargins,
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
