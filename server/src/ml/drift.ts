import { expectedCalibrationError } from './metrics.ts';
import { createRng } from './rng.ts';
import { sliceInfo } from './slice-info.ts';
import { buildTable, type RawTable } from './table.ts';
import type { DriftCheck, FeatureDef, FeatureValue, SliceInfo } from './types.ts';

/** Population stability above this is drift (the usual rule of thumb: < 0.1 stable, 0.1–0.25 moderate, > 0.25 shifted). */
export const PSI_DRIFT = 0.25;
/**
 * Calibration error the product tolerates on the newest slice beyond what sampling noise alone explains: the
 * scoring layer's accuracy bar is "within 0.01 of the noise floor" on large hold-outs; 0.02 above its 95th
 * percentile keeps a stationary model quiet and still flags a shift of a few points in the conversion rate.
 */
export const ECE_TOLERANCE = 0.02;
/** Numeric features are cut at the reference slice's deciles. */
const QUANTILE_BINS = 10;
/** Categorical levels rarer than this in the reference slice are pooled (with levels new in the newest slice). */
const MIN_LEVEL_ROWS = 5;
/** Draws of labels from the predictions themselves: the ECE a perfectly calibrated model gets on these rows. */
const NOISE_DRAWS = 200;

export interface DriftInput {
  table: RawTable;
  labels: ArrayLike<number>;
  /** Rows the model learned from: the bins come from them. */
  reference: Uint32Array;
  /** The newest rows, kept out of training, and the calibrated probabilities the model gives them (same order). */
  newest: Uint32Array;
  newestPredictions: ArrayLike<number>;
  time?: ArrayLike<number> | undefined;
  seed?: number;
}

/** A check that could not run (no time, so no "newest" rows): the card says so instead of claiming stability. */
export function uncheckedDrift(newestSlice: SliceInfo = { rows: 0, positives: 0 }): DriftCheck {
  return { checked: false, newestSlice, psi: [], newestEce: 0, eceBound: 0, warning: null };
}

function smoothedShares(counts: Float64Array, total: number): Float64Array {
  // Half a row per bin keeps ln(p/q) finite for a bin one slice never fills (Jeffreys' prior).
  const denominator = total + 0.5 * counts.length;
  return counts.map((c) => (c + 0.5) / denominator);
}

/** PSI = Σ (p − q)·ln(p / q) over the bins, p the newest slice's share, q the reference's. */
export function psiOfCounts(reference: Float64Array, newest: Float64Array): number {
  const nRef = reference.reduce((a, b) => a + b, 0);
  const nNew = newest.reduce((a, b) => a + b, 0);
  if (nRef === 0 || nNew === 0) return 0;
  const q = smoothedShares(reference, nRef);
  const p = smoothedShares(newest, nNew);
  let psi = 0;
  for (let b = 0; b < q.length; b++) psi += ((p[b] as number) - (q[b] as number)) * Math.log((p[b] as number) / (q[b] as number));
  return psi;
}

/** Bin of every row of a numeric column: 0 = missing, then the reference deciles (ties merged). */
function numericBins(column: ArrayLike<number>, reference: Uint32Array): { bins: (row: number) => number; count: number } {
  const values = Array.from(reference, (r) => column[r] as number)
    .filter((v) => !Number.isNaN(v))
    .sort((a, b) => a - b);
  const cuts: number[] = [];
  for (let k = 1; k < QUANTILE_BINS; k++) {
    const cut = values[Math.floor((k * values.length) / QUANTILE_BINS)];
    if (cut !== undefined && cut !== cuts.at(-1) && cut !== values.at(-1)) cuts.push(cut);
  }
  const bins = (row: number) => {
    const v = column[row] as number;
    if (Number.isNaN(v)) return 0;
    let b = 0;
    while (b < cuts.length && v >= (cuts[b] as number)) b++;
    return b + 1;
  };
  return { bins, count: cuts.length + 2 };
}

/** Bin of every row of a categorical column: 0 = missing, 1 = rare or new levels, then one per reference level. */
function levelBins(codes: Int32Array, dictionarySize: number, reference: Uint32Array): { bins: (row: number) => number; count: number } {
  const seen = new Float64Array(dictionarySize);
  for (const r of reference) {
    const code = codes[r] as number;
    if (code >= 0) seen[code] = (seen[code] as number) + 1;
  }
  const binOf = new Int32Array(dictionarySize).fill(1);
  let next = 2;
  seen.forEach((count, code) => {
    if (count >= MIN_LEVEL_ROWS) binOf[code] = next++;
  });
  return { bins: (row) => ((codes[row] as number) < 0 ? 0 : (binOf[codes[row] as number] as number)), count: next };
}

function featurePsi(table: RawTable, f: number, reference: Uint32Array, newest: Uint32Array): { psi: number; bins: number } {
  const numeric = table.numeric[f];
  const levels = table.categorical[f];
  const binning = numeric
    ? numericBins(numeric, reference)
    : levelBins((levels as NonNullable<typeof levels>).codes, (levels as NonNullable<typeof levels>).dictionary.length, reference);
  const count = (rows: Uint32Array) => {
    const counts = new Float64Array(binning.count);
    for (const r of rows) {
      const b = binning.bins(r);
      counts[b] = (counts[b] as number) + 1;
    }
    return counts;
  };
  return { psi: psiOfCounts(count(reference), count(newest)), bins: binning.count };
}

/** Wilson–Hilferty: the p-quantile of a chi-square with k degrees of freedom (z = the normal quantile). */
function chiSquareQuantile(k: number, z: number): number {
  const c = 2 / (9 * k);
  return k * (1 - c + z * Math.sqrt(c)) ** 3;
}

/**
 * The PSI two samples of these sizes exceed by chance once in a thousand: PSI ≈ the two-sample chi-square
 * statistic × (1/n₁ + 1/n₂), so a small newest slice needs a larger shift before it counts as drift.
 */
export function psiNoiseBound(bins: number, referenceRows: number, newestRows: number): number {
  const freedom = Math.max(1, bins - 1);
  return chiSquareQuantile(freedom, 3.09) * (1 / Math.max(referenceRows, 1) + 1 / Math.max(newestRows, 1));
}

/**
 * The ECE a perfectly calibrated model gets on these rows: labels drawn from the predictions themselves
 * (independent rows, seeded), mean and 95th percentile over the draws.
 */
export function eceNoise(predictions: ArrayLike<number>, seed: number): { mean: number; p95: number } {
  const rng = createRng(seed);
  const drawn = new Uint8Array(predictions.length);
  const eces: number[] = [];
  for (let d = 0; d < NOISE_DRAWS; d++) {
    for (let i = 0; i < predictions.length; i++) drawn[i] = rng() < (predictions[i] as number) ? 1 : 0;
    eces.push(expectedCalibrationError(drawn, predictions));
  }
  eces.sort((a, b) => a - b);
  return { mean: eces.reduce((a, b) => a + b, 0) / eces.length, p95: eces[Math.floor(0.95 * (eces.length - 1))] ?? 0 };
}

/** The 95th percentile of the ECE of labels drawn from the predictions themselves (a perfectly calibrated model). */
export function eceNoiseBound(predictions: ArrayLike<number>, seed: number): number {
  return eceNoise(predictions, seed).p95;
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * Drift between the rows a model learned from and the newest rows it was not trained on: population stability
 * per feature, and calibration (ECE, calibration in the large) on the newest slice against the ECE sampling
 * noise alone would give there. Either failing yields a plain-language warning.
 */
export function checkDrift(input: DriftInput): DriftCheck {
  const { table, labels, reference, newest, newestPredictions } = input;
  const newestSlice = sliceInfo(newest, labels, input.time);
  if (reference.length === 0 || newest.length === 0) return uncheckedDrift(newestSlice);
  const shifted: { feature: string; psi: number }[] = [];
  const psi = table.features
    .map((feature, f) => {
      const result = featurePsi(table, f, reference, newest);
      const bound = Math.max(PSI_DRIFT, psiNoiseBound(result.bins, reference.length, newest.length));
      if (result.psi > bound) shifted.push({ feature: feature.name, psi: result.psi });
      return { feature: feature.name, psi: result.psi };
    })
    .sort((a, b) => b.psi - a.psi);
  const newestLabels = Uint8Array.from(newest, (r) => labels[r] as number);
  const newestEce = expectedCalibrationError(newestLabels, newestPredictions);
  const eceBound = eceNoiseBound(newestPredictions, input.seed ?? 1) + ECE_TOLERANCE;
  const problems: string[] = [];
  if (shifted.length > 0) {
    shifted.sort((a, b) => b.psi - a.psi);
    const named = shifted.slice(0, 3).map((s) => `${s.feature} (PSI ${s.psi.toFixed(2)})`);
    const more = shifted.length > 3 ? ` and ${shifted.length - 3} more` : '';
    problems.push(`the inputs shifted: ${named.join(', ')}${more}, above ${PSI_DRIFT}`);
  }
  if (newestEce > eceBound) {
    let predicted = 0;
    for (let i = 0; i < newestPredictions.length; i++) predicted += newestPredictions[i] as number;
    predicted /= newestPredictions.length;
    const observed = newestSlice.positives / newestSlice.rows;
    problems.push(
      `the probabilities are off: calibration error ${newestEce.toFixed(3)} (noise allows ${eceBound.toFixed(3)}); ` +
        `the model predicted ${percent(predicted)} on average, ${percent(observed)} happened`,
    );
  }
  const warning =
    problems.length > 0
      ? `drift on the newest ${newestSlice.rows} rows: ${problems.join('; ')}. Retrain, or check what changed in the data.`
      : null;
  return { checked: true, newestSlice, psi, newestEce, eceBound, warning };
}

/**
 * The same check on row objects, for callers that hold their own newest slice (the scoring layer's time
 * hold-out): `reference` rows are what the model trained on, `newest` what it was tested on.
 */
export function checkDriftOfRows(input: {
  features: FeatureDef[];
  reference: Record<string, FeatureValue>[];
  newest: Record<string, FeatureValue>[];
  newestLabels: ArrayLike<number>;
  newestPredictions: ArrayLike<number>;
  newestTimes?: ArrayLike<number>;
  seed?: number;
}): DriftCheck {
  const rows = [...input.reference, ...input.newest];
  const table = buildTable(input.features, rows.length, rows, undefined);
  const offset = input.reference.length;
  const labels = new Uint8Array(rows.length);
  for (let i = 0; i < input.newest.length; i++) labels[offset + i] = input.newestLabels[i] as number;
  const time = input.newestTimes ? new Float64Array(rows.length) : undefined;
  if (time && input.newestTimes) for (let i = 0; i < input.newest.length; i++) time[offset + i] = input.newestTimes[i] as number;
  return checkDrift({
    table,
    labels,
    reference: Uint32Array.from({ length: offset }, (_, i) => i),
    newest: Uint32Array.from({ length: input.newest.length }, (_, i) => offset + i),
    newestPredictions: input.newestPredictions,
    time,
    ...(input.seed === undefined ? {} : { seed: input.seed }),
  });
}
