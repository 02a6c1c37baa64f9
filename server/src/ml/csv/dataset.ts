import { BadInputError } from '../../errors/errors.ts';
import type { ColumnarData, FeatureDef, FeatureSpecEntry, FeatureValue } from '../types.ts';
import type { CsvTable } from './parse.ts';

const MISSING_TOKENS = new Set(['', 'na', 'n/a', 'null', 'nan', 'none']);
/** Share of numeric cells above which a column is numeric and any other value an error. */
const NUMERIC_SHARE = 0.9;

export interface CsvDatasetOptions {
  target: string;
  positive?: string | undefined;
  drop: string[];
  /** A column of numbers or dates, or '@row' for file order. */
  time?: string | undefined;
  categorical: string[];
}

export interface CsvDataset {
  features: FeatureDef[];
  columns: ColumnarData;
  labels: Uint8Array;
  time?: Float64Array;
  positive: string;
}

export function columnIndex(table: CsvTable, name: string, file: string, role: string): number {
  const index = table.header.indexOf(name);
  if (index < 0)
    throw new BadInputError(
      `${file}: no ${role} column '${name}' (columns: ${table.header.slice(0, 12).join(', ')}${table.header.length > 12 ? ', …' : ''})`,
    );
  return index;
}

function isMissing(cell: string): boolean {
  return MISSING_TOKENS.has(cell.trim().toLowerCase());
}

/** Numbers of a numeric column; a non-numeric cell is an error naming the column and line. */
export function numericColumn(table: CsvTable, index: number, file: string): Float64Array {
  const out = new Float64Array(table.rows.length);
  table.rows.forEach((cells, i) => {
    const cell = cells[index] as string;
    if (isMissing(cell)) {
      out[i] = Number.NaN;
      return;
    }
    const value = Number(cell.trim());
    if (Number.isNaN(value)) {
      throw new BadInputError(
        `${file}: column '${table.header[index]}', line ${table.lines[i]}: '${cell}' is not a number (the column is numeric)`,
      );
    }
    out[i] = value;
  });
  return out;
}

function looksNumeric(table: CsvTable, index: number): boolean {
  let numeric = 0;
  let present = 0;
  for (const cells of table.rows) {
    const cell = cells[index] as string;
    if (isMissing(cell)) continue;
    present++;
    if (!Number.isNaN(Number(cell.trim()))) numeric++;
  }
  return present > 0 && numeric / present >= NUMERIC_SHARE;
}

function levelColumn(table: CsvTable, index: number): (string | null)[] {
  return table.rows.map((cells) => {
    const cell = (cells[index] as string).trim();
    return cell === '' ? null : cell;
  });
}

function choosePositive(values: string[], asked: string | undefined, file: string, target: string): string {
  if (asked !== undefined) {
    if (!values.includes(asked))
      throw new BadInputError(`${file}: --positive '${asked}' never occurs in column '${target}' (values: ${values.join(', ')})`);
    return asked;
  }
  for (const guess of ['1', 'yes', 'true', 'won', 'y']) {
    const found = values.find((v) => v.toLowerCase() === guess);
    if (found) return found;
  }
  throw new BadInputError(`${file}: cannot tell the positive class of '${target}' (values: ${values.join(', ')}): give --positive`);
}

function parseTime(table: CsvTable, name: string, file: string): Float64Array {
  if (name === '@row') return Float64Array.from(table.rows, (_, i) => i);
  const index = columnIndex(table, name, file, 'time');
  return Float64Array.from(table.rows, (cells, i) => {
    const cell = (cells[index] as string).trim();
    const value = cell !== '' && !Number.isNaN(Number(cell)) ? Number(cell) : Date.parse(cell);
    if (Number.isNaN(value))
      throw new BadInputError(`${file}: column '${name}', line ${table.lines[i]}: '${cell}' is not a number or date`);
    return value;
  });
}

/** Features (all columns but target, time and dropped ones, typed by their content), labels and time from a CSV. */
export function datasetFromCsv(table: CsvTable, file: string, options: CsvDatasetOptions): CsvDataset {
  const targetIndex = columnIndex(table, options.target, file, 'target');
  for (const name of [...options.drop, ...options.categorical]) columnIndex(table, name, file, 'named');
  const raw = table.rows.map((cells, i) => {
    const value = (cells[targetIndex] as string).trim();
    if (value === '') throw new BadInputError(`${file}: column '${options.target}', line ${table.lines[i]}: the target is empty`);
    return value;
  });
  const values = [...new Set(raw)].sort();
  if (values.length === 1) throw new BadInputError(`${file}: column '${options.target}' is constant ('${values[0]}'): nothing to learn`);
  if (values.length > 2) {
    throw new BadInputError(
      `${file}: column '${options.target}' has ${values.length} classes (${values.slice(0, 5).join(', ')}${values.length > 5 ? ', …' : ''}), expected 2`,
    );
  }
  const positive = choosePositive(values, options.positive, file, options.target);
  const labels = Uint8Array.from(raw, (v) => (v === positive ? 1 : 0));
  const excluded = new Set([options.target, ...options.drop, ...(options.time && options.time !== '@row' ? [options.time] : [])]);
  const features: FeatureDef[] = [];
  const columns: ColumnarData = {};
  table.header.forEach((name, index) => {
    if (excluded.has(name)) return;
    const numeric = !options.categorical.includes(name) && looksNumeric(table, index);
    features.push({ name, type: numeric ? 'numeric' : 'categorical' });
    columns[name] = numeric ? numericColumn(table, index, file) : levelColumn(table, index);
  });
  if (features.length === 0) throw new BadInputError(`${file}: no feature columns left after dropping target, time and --drop`);
  const dataset: CsvDataset = { features, columns, labels, positive };
  if (options.time) dataset.time = parseTime(table, options.time, file);
  return dataset;
}

/** Records for scoring, typed by the model's feature spec; every feature column must be present. */
export function recordsFromCsv(table: CsvTable, file: string, spec: FeatureSpecEntry[]): Record<string, FeatureValue>[] {
  const columns = spec.map((feature) => {
    const index = columnIndex(table, feature.name, file, 'feature');
    return feature.type === 'numeric' ? numericColumn(table, index, file) : levelColumn(table, index);
  });
  return table.rows.map((_, i) => {
    const record: Record<string, FeatureValue> = {};
    spec.forEach((feature, f) => {
      const value = (columns[f] as Float64Array | (string | null)[])[i] as number | string | null;
      record[feature.name] = typeof value === 'number' && Number.isNaN(value) ? null : value;
    });
    return record;
  });
}
