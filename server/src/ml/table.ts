import { BadInputError } from '../errors/errors.ts';
import type { ColumnarData, FeatureDef, FeatureValue } from './types.ts';

/** A categorical column interned once: codes index `dictionary`, -1 = missing. */
export interface LevelColumn {
  codes: Int32Array;
  dictionary: string[];
}

/** Training data normalised per column: numbers as Float64Array (NaN = missing), levels interned. */
export interface RawTable {
  n: number;
  features: FeatureDef[];
  /** Float32 input columns are kept as they are (no copy): the model's input is float32 anyway. */
  numeric: (Float64Array | Float32Array | null)[];
  categorical: (LevelColumn | null)[];
}

export function toNumber(value: FeatureValue | undefined, feature: string, row: number): number {
  if (value === null || value === undefined || value === '') return Number.NaN;
  if (typeof value === 'number') return value;
  const trimmed = value.trim();
  if (trimmed === '') return Number.NaN;
  const parsed = Number(trimmed);
  if (Number.isNaN(parsed)) {
    throw new BadInputError(`feature '${feature}' is numeric but row ${row + 1} has '${value}'`);
  }
  return parsed;
}

export function toLevel(value: FeatureValue | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Number.isNaN(value) ? null : String(value);
  return value;
}

function columnOf(name: string, rows: Record<string, FeatureValue>[] | undefined, columns: ColumnarData | undefined) {
  if (columns) {
    const column = columns[name];
    if (!column) throw new BadInputError(`feature '${name}' has no column in the training data`);
    return (i: number) => column[i] as FeatureValue;
  }
  const list = rows ?? [];
  return (i: number) => (list[i] as Record<string, FeatureValue>)[name] ?? null;
}

export function buildTable(
  features: FeatureDef[],
  n: number,
  rows: Record<string, FeatureValue>[] | undefined,
  columns: ColumnarData | undefined,
): RawTable {
  const numeric: (Float64Array | Float32Array | null)[] = [];
  const categorical: (LevelColumn | null)[] = [];
  for (const feature of features) {
    const get = columnOf(feature.name, rows, columns);
    if (feature.type === 'numeric') {
      const source = columns?.[feature.name];
      if ((source instanceof Float64Array || source instanceof Float32Array) && source.length === n) {
        numeric.push(source);
      } else {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = toNumber(get(i), feature.name, i);
        numeric.push(out);
      }
      categorical.push(null);
    } else {
      const codes = new Int32Array(n);
      const dictionary: string[] = [];
      const lookup = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const level = toLevel(get(i));
        if (level === null) {
          codes[i] = -1;
          continue;
        }
        let code = lookup.get(level);
        if (code === undefined) {
          code = dictionary.length;
          dictionary.push(level);
          lookup.set(level, code);
        }
        codes[i] = code;
      }
      categorical.push({ codes, dictionary });
      numeric.push(null);
    }
  }
  return { n, features, numeric, categorical };
}
