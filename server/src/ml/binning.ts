import { createRng } from './rng.ts';

/** Largest float32: the threshold of a "all non-missing values left, missing right" split. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Per feature, the float32 thresholds between value bins. Bin 0 holds missing values; a finite x goes to
 * bin 1 + (number of thresholds < x). A split "bin ≤ b" is therefore exactly "x ≤ thresholds[b-1]" in
 * float32, which is the comparison ONNX Runtime makes: our predictions and ORT's route rows identically.
 */
export interface BinMapper {
  thresholds: Float32Array[];
  /** Number of value bins per feature (thresholds.length + 1, or 0 when the feature never has a value). */
  nBins: Int32Array;
}

const SAMPLE_LIMIT = 200_000;

function between(a: number, b: number): number {
  const t = Math.fround((a + b) / 2);
  return t >= a && t < b ? t : a;
}

/** Largest value range sorted by counting (integer-valued columns: codes, counts, days, ages). */
const COUNTING_RANGE = 1 << 16;

/**
 * Sorts in place, ascending, as Float32Array.prototype.sort does for non-NaN values (−0 and 0 compare equal
 * everywhere they are used). Integer-valued columns with a range of at most COUNTING_RANGE (or the number
 * of values) are counted instead: O(n + range) rather than O(n log n).
 */
function sortValues(values: Float32Array): void {
  // A column with no value in the fit rows (all missing): nothing to sort, and no range to count over.
  if (values.length === 0) return;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== Math.floor(v)) {
      values.sort();
      return;
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min + 1;
  if (!(range <= Math.max(COUNTING_RANGE, values.length))) {
    values.sort();
    return;
  }
  const counts = new Uint32Array(range);
  for (let i = 0; i < values.length; i++) counts[(values[i] as number) - min] = (counts[(values[i] as number) - min] as number) + 1;
  let k = 0;
  for (let b = 0; b < range; b++) {
    const v = b + min;
    for (let c = counts[b] as number; c > 0; c--) values[k++] = v;
  }
}

function featureThresholds(values: Float32Array, maxBins: number): Float32Array {
  sortValues(values);
  const distinct: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (distinct.length === 0 || v !== distinct[distinct.length - 1]) distinct.push(v);
  }
  const cuts: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) cuts.push(between(distinct[i - 1] as number, distinct[i] as number));
  } else {
    const m = values.length;
    for (let k = 1; k < maxBins; k++) {
      const pos = Math.floor((k * m) / maxBins);
      const t = between(values[pos - 1] as number, values[pos] as number);
      if ((values[pos - 1] as number) === (values[pos] as number)) {
        // Inside a run of ties: cut after the run so the tied value stays in one bin.
        let end = pos;
        while (end < m && values[end] === values[pos]) end++;
        if (end < m) pushCut(cuts, between(values[end - 1] as number, values[end] as number));
      } else pushCut(cuts, t);
    }
  }
  return Float32Array.from(cuts);
}

function pushCut(cuts: number[], t: number): void {
  if (cuts.length === 0 || t > (cuts[cuts.length - 1] as number)) cuts.push(t);
}

/** Fits thresholds on (a sample of) the training rows of a row-major float32 matrix. */
export function fitBins(x: Float32Array, F: number, trainRows: Uint32Array, maxBins: number, seed: number): BinMapper {
  let sample = trainRows;
  if (trainRows.length > SAMPLE_LIMIT) {
    const rng = createRng(seed ^ 0x5bd1e995);
    sample = new Uint32Array(SAMPLE_LIMIT);
    for (let i = 0; i < SAMPLE_LIMIT; i++) sample[i] = trainRows[Math.floor(rng() * trainRows.length)] as number;
  }
  const thresholds: Float32Array[] = [];
  const nBins = new Int32Array(F);
  // The sample's non-missing values of every feature, gathered in one row-major pass (x is row-major).
  const columns = Array.from({ length: F }, () => new Float32Array(sample.length));
  const present = new Int32Array(F);
  for (const r of sample) {
    const base = r * F;
    for (let f = 0; f < F; f++) {
      const v = x[base + f] as number;
      if (Number.isNaN(v)) continue;
      const m = present[f] as number;
      (columns[f] as Float32Array)[m] = v;
      present[f] = m + 1;
    }
  }
  for (let f = 0; f < F; f++) {
    const m = present[f] as number;
    const cuts = featureThresholds((columns[f] as Float32Array).subarray(0, m), maxBins);
    thresholds.push(cuts);
    nBins[f] = m === 0 ? 0 : cuts.length + 1;
  }
  return { thresholds, nBins };
}

/** Column-major bin matrix (Uint8Array, feature f of row r at f·n + r) of all rows. */
export function applyBins(x: Float32Array, F: number, mapper: BinMapper): Uint8Array {
  const n = x.length / F;
  const bins = new Uint8Array(n * F);
  for (let f = 0; f < F; f++) {
    const cuts = mapper.thresholds[f] as Float32Array;
    const len = cuts.length;
    const col = f * n;
    for (let i = 0, o = f; i < n; i++, o += F) {
      const v = x[o] as number;
      if (Number.isNaN(v)) continue; // NaN → bin 0
      let lo = 0;
      let hi = len;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cuts[mid] as number) < v) lo = mid + 1;
        else hi = mid;
      }
      bins[col + i] = lo + 1;
    }
  }
  return bins;
}
