import { BadInputError } from '../errors/errors.ts';
import { applyCalibration } from './calibration.ts';
import { fitModel, marginsOf } from './fit.ts';
import { metricSet } from './metrics.ts';
import { resolveParams } from './params.ts';
import { foldSplit, stratifiedFolds, timeHoldout } from './split-data.ts';
import { candidatesOf, prepareInput } from './train.ts';
import type { ImportanceEntry, MetricSet, ModelKind, TrainInput } from './types.ts';

export interface FoldResult extends MetricSet {
  fold: number;
  fitSeconds: number;
  /** CPU time (user + system) of the fit: comparable across runs on a busy shared machine. */
  fitCpuSeconds: number;
  iterations: number;
  /** The model this fold's selection chose. */
  chosen: ModelKind;
}

export interface CrossValidationResult {
  folds: FoldResult[];
  auc: { mean: number; std: number; folds: number[] };
  logLoss: number;
  brier: number;
  ece: number;
  fitSeconds: { mean: number; folds: number[] };
  fitCpuSeconds: { mean: number };
  /** Metrics over all out-of-fold predictions pooled. */
  pooled: MetricSet;
  importance: ImportanceEntry[];
  rows: number;
  features: number;
}

export interface HoldoutResult extends MetricSet {
  trainRows: number;
  fitSeconds: number;
  iterations: number;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
const std = (values: number[]) => {
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) * (v - m))));
};

/** A fold assignment given by the caller must cover every row with a fold in 0..k-1, and leave no fold empty. */
function checkedAssignment(assignment: ArrayLike<number>, n: number, k: number): Uint8Array {
  if (assignment.length !== n) throw new BadInputError(`fold assignment has ${assignment.length} rows but the data has ${n}`);
  const folds = new Uint8Array(n);
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const fold = assignment[i] as number;
    if (!Number.isInteger(fold) || fold < 0 || fold >= k) throw new BadInputError(`fold of row ${i + 1} is ${fold}, expected 0..${k - 1}`);
    folds[i] = fold;
    sizes[fold] = (sizes[fold] as number) + 1;
  }
  const empty = sizes.indexOf(0);
  if (empty >= 0) throw new BadInputError(`fold ${empty} of the assignment has no rows`);
  return folds;
}

/**
 * Stratified k-fold CV: each fold trains the full pipeline (levels, bins, trees, early stopping,
 * calibration) on the other folds and is scored on its own held-out rows. `assignment` (fold per row) replaces
 * the stratified folds, so another tool can be scored on exactly the same rows.
 */
export function crossValidate(
  input: TrainInput,
  k = 5,
  onFold?: (fold: FoldResult) => void,
  assignment?: ArrayLike<number>,
): CrossValidationResult {
  const { table, labels } = prepareInput(input);
  const params = resolveParams(input.params);
  const seed = input.seed ?? 42;
  const folds = assignment ? checkedAssignment(assignment, table.n, k) : stratifiedFolds(labels, k, seed);
  const results: FoldResult[] = [];
  const pooled = new Float64Array(table.n);
  // Per feature: gain share and splits, both averaged over the folds.
  const importance = new Map<string, { gain: number; splits: number }>();
  for (let fold = 0; fold < k; fold++) {
    const split = foldSplit(folds, fold);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const fitted = fitModel(table, labels, split.train, { params, seed: seed + fold, candidates: candidatesOf(input) });
    const fitSeconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const fitCpuSeconds = (used.user + used.system) / 1e6;
    const margins = marginsOf(fitted.model, fitted.x, split.test);
    const probabilities = Float64Array.from(margins, (m) => applyCalibration(fitted.calibration, m));
    split.test.forEach((r, i) => {
      pooled[r] = probabilities[i] as number;
    });
    for (const entry of fitted.importance) {
      const sum = importance.get(entry.feature) ?? { gain: 0, splits: 0 };
      importance.set(entry.feature, { gain: sum.gain + entry.gain / k, splits: sum.splits + entry.splits / k });
    }
    const testLabels = Uint8Array.from(split.test, (r) => labels[r] as number);
    const result: FoldResult = {
      fold,
      fitSeconds,
      fitCpuSeconds,
      iterations: fitted.iterations,
      chosen: fitted.selection.chosen,
      ...metricSet(testLabels, probabilities),
    };
    results.push(result);
    onFold?.(result);
  }
  const aucs = results.map((r) => r.auc);
  return {
    folds: results,
    auc: { mean: mean(aucs), std: std(aucs), folds: aucs },
    logLoss: mean(results.map((r) => r.logLoss)),
    brier: mean(results.map((r) => r.brier)),
    ece: mean(results.map((r) => r.ece)),
    fitSeconds: { mean: mean(results.map((r) => r.fitSeconds)), folds: results.map((r) => r.fitSeconds) },
    fitCpuSeconds: { mean: mean(results.map((r) => r.fitCpuSeconds)) },
    pooled: metricSet(labels, pooled),
    importance: [...importance.entries()]
      .map(([feature, { gain, splits }]) => ({ feature, gain, splits: Math.round(splits) }))
      .sort((a, b) => b.gain - a.gain),
    rows: table.n,
    features: table.features.length,
  };
}

/** Train on the oldest (1 − fraction) of rows, score the newest fraction: how the model would have fared going forward. */
export function timeHoldoutEvaluation(input: TrainInput & { time: ArrayLike<number> }, fraction = 0.2): HoldoutResult {
  const { table, labels, time } = prepareInput(input);
  const params = resolveParams(input.params);
  const split = timeHoldout(time as Float64Array, fraction);
  const started = performance.now();
  const fitted = fitModel(table, labels, split.train, { params, seed: input.seed ?? 42, time, candidates: candidatesOf(input) });
  const fitSeconds = (performance.now() - started) / 1000;
  const margins = marginsOf(fitted.model, fitted.x, split.test);
  const probabilities = Float64Array.from(margins, (m) => applyCalibration(fitted.calibration, m));
  const testLabels = Uint8Array.from(split.test, (r) => labels[r] as number);
  return { trainRows: split.train.length, fitSeconds, iterations: fitted.iterations, ...metricSet(testLabels, probabilities) };
}
