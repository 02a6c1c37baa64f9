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

function featureThresholds(values: Float32Array, maxBins: number): Float32Array {
  values.sort();
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
  const buffer = new Float32Array(sample.length);
  for (let f = 0; f < F; f++) {
    let m = 0;
    for (const r of sample) {
      const v = x[r * F + f] as number;
      if (!Number.isNaN(v)) buffer[m++] = v;
    }
    const cuts = featureThresholds(buffer.slice(0, m), maxBins);
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
