import type { LevelColumn, RawTable } from './table.ts';
import { toLevel, toNumber } from './table.ts';
import type { FeatureSpecEntry, FeatureValue } from './types.ts';

/** The "other" level's entry in a spec's levels: '' is never a real level, since empty cells are missing. */
export const OTHER_LEVEL = '';

export interface FittedLevels {
  levels: string[];
  /** Training levels pooled into "other" (rare, or beyond maxCategories) and their rows. */
  pooledLevels: number;
  pooledRows: number;
}

/**
 * Orders the levels of a categorical column by their smoothed positive rate on the training rows.
 * Splitting on that order is the optimal binary partition for a single split (Fisher 1958) and is what
 * LightGBM does per node; doing it once lets every split be a plain threshold that ONNX can carry.
 * Levels on fewer than `minCount` training rows, and those beyond the `maxCategories` most frequent, are
 * pooled into one "other" level placed by its own smoothed rate; levels unseen in training get its code too,
 * so a new picklist value is scored like the rare values the model learned from, not like a missing one.
 */
export function fitLevels(
  column: LevelColumn,
  labels: ArrayLike<number>,
  trainRows: Uint32Array,
  options: { maxCategories: number; minCount: number; smoothing: number },
): FittedLevels {
  const { maxCategories, minCount, smoothing } = options;
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
  const rate = (p: number, n: number) => (p + smoothing * prior) / (n + smoothing);
  const seen = column.dictionary
    .map((level, c) => ({ level, n: counts[c] as number, p: pos[c] as number }))
    .filter((entry) => entry.n > 0)
    .sort((a, b) => b.n - a.n || (a.level < b.level ? -1 : 1));
  const kept = seen.filter((entry, i) => entry.n >= minCount && i < maxCategories);
  const pooled = seen.filter((entry, i) => !(entry.n >= minCount && i < maxCategories));
  const other = { level: OTHER_LEVEL, n: 0, p: 0 };
  for (const entry of pooled) {
    other.n += entry.n;
    other.p += entry.p;
  }
  const ordered = [...kept, other].map((entry) => ({ level: entry.level, rate: rate(entry.p, entry.n) }));
  ordered.sort((a, b) => a.rate - b.rate || (a.level < b.level ? -1 : 1));
  return { levels: ordered.map((k) => k.level), pooledLevels: pooled.length, pooledRows: other.n };
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
    const other = codes.get(OTHER_LEVEL) ?? Number.NaN;
    const remap = Float32Array.from(column.dictionary, (level) => codes.get(level) ?? other);
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

/**
 * Row-major float32 matrix of the model input from records, as the feature spec says. Levels unknown to the
 * spec get the "other" code (missing for specs without one) and are counted per feature in `unseen`.
 */
export function encodeRecords(
  spec: FeatureSpecEntry[],
  records: Record<string, FeatureValue>[],
  unseen?: Map<string, number>,
): Float32Array {
  const F = spec.length;
  const out = new Float32Array(records.length * F);
  const codes = spec.map((feature) => (feature.type === 'categorical' ? levelCodes(feature.levels ?? []) : null));
  const others = codes.map((map) => map?.get(OTHER_LEVEL) ?? Number.NaN);
  records.forEach((record, i) => {
    for (let f = 0; f < F; f++) {
      const feature = spec[f] as FeatureSpecEntry;
      const value = record[feature.name];
      const map = codes[f];
      if (map) {
        const level = toLevel(value);
        if (level === null) {
          out[i * F + f] = Number.NaN;
          continue;
        }
        const code = map.get(level);
        if (code === undefined) unseen?.set(feature.name, (unseen.get(feature.name) ?? 0) + 1);
        out[i * F + f] = code ?? (others[f] as number);
      } else {
        out[i * F + f] = toNumber(value, feature.name, i);
      }
    }
  });
  return out;
}
