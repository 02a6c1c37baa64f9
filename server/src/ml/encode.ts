import type { LevelColumn, RawTable } from './table.ts';
import { toLevel, toNumber } from './table.ts';
import type { FeatureSpecEntry, FeatureValue } from './types.ts';

/**
 * Orders the levels of a categorical column by their smoothed positive rate on the training rows.
 * Splitting on that order is the optimal binary partition for a single split (Fisher 1958) and is what
 * LightGBM does per node; doing it once lets every split be a plain threshold that ONNX can carry.
 * Only the `maxCategories` most frequent levels get a code; rarer ones fall into the missing branch.
 */
export function fitLevels(
  column: LevelColumn,
  labels: ArrayLike<number>,
  trainRows: Uint32Array,
  maxCategories: number,
  smoothing: number,
): string[] {
  const L = column.dictionary.length;
  const counts = new Float64Array(L);
  const pos = new Float64Array(L);
  let positives = 0;
  const { codes } = column;
  for (let k = 0; k < trainRows.length; k++) {
    const r = trainRows[k] as number;
    const y = labels[r] as number;
    positives += y;
    const c = codes[r] as number;
    if (c < 0) continue;
    counts[c] = (counts[c] as number) + 1;
    pos[c] = (pos[c] as number) + y;
  }
  const prior = trainRows.length > 0 ? positives / trainRows.length : 0;
  const kept = column.dictionary
    .map((level, c) => ({
      level,
      n: counts[c] as number,
      rate: ((pos[c] as number) + smoothing * prior) / ((counts[c] as number) + smoothing),
    }))
    .filter((entry) => entry.n > 0)
    .sort((a, b) => b.n - a.n || (a.level < b.level ? -1 : 1))
    .slice(0, maxCategories);
  kept.sort((a, b) => a.rate - b.rate || (a.level < b.level ? -1 : 1));
  return kept.map((k) => k.level);
}

/** Row-major float32 matrix [n, F] of the model input, from a training table. */
export function encodeTable(table: RawTable, spec: FeatureSpecEntry[]): Float32Array {
  const F = spec.length;
  const out = new Float32Array(table.n * F);
  spec.forEach((feature, f) => {
    const numeric = table.numeric[f];
    if (numeric) {
      for (let i = 0; i < table.n; i++) out[i * F + f] = numeric[i] as number;
      return;
    }
    const column = table.categorical[f] as LevelColumn;
    const codes = levelCodes(feature.levels ?? []);
    const remap = Float32Array.from(column.dictionary, (level) => codes.get(level) ?? Number.NaN);
    for (let i = 0; i < table.n; i++) {
      const c = column.codes[i] as number;
      out[i * F + f] = c < 0 ? Number.NaN : (remap[c] as number);
    }
  });
  return out;
}

export function levelCodes(levels: string[]): Map<string, number> {
  return new Map(levels.map((level, i) => [level, i]));
}

/** Row-major float32 matrix of the model input from records, as the feature spec says. */
export function encodeRecords(spec: FeatureSpecEntry[], records: Record<string, FeatureValue>[]): Float32Array {
  const F = spec.length;
  const out = new Float32Array(records.length * F);
  const codes = spec.map((feature) => (feature.type === 'categorical' ? levelCodes(feature.levels ?? []) : null));
  records.forEach((record, i) => {
    for (let f = 0; f < F; f++) {
      const feature = spec[f] as FeatureSpecEntry;
      const value = record[feature.name];
      const map = codes[f];
      if (map) {
        const level = toLevel(value);
        out[i * F + f] = level === null ? Number.NaN : (map.get(level) ?? Number.NaN);
      } else {
        out[i * F + f] = toNumber(value, feature.name, i);
      }
    }
  });
  return out;
}
