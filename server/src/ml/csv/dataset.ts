import { BadInputError } from '../../errors/errors.ts';
import type { ColumnarData, FeatureDef, FeatureSpecEntry, FeatureValue } from '../types.ts';
import {
  type ColumnFormat,
  type DateFormat,
  describeFormat,
  inferColumnFormat,
  missingTokens,
  readDate,
  readNumber,
} from './column-format.ts';
import type { CsvTable } from './parse.ts';

const DAY_MS = 86_400_000;

export interface CsvDatasetOptions {
  target: string;
  positive?: string | undefined;
  drop: string[];
  /** A column of numbers or dates, or '@row' for file order. */
  time?: string | undefined;
  categorical: string[];
  /** Placeholder values that mean missing (--na Select,N/A), on top of '', NA, N/A, null, NaN, none. */
  na?: string[];
  /** How to read day/month dates when every day and month is ≤ 12 (--date-format). */
  dateFormat?: DateFormat | undefined;
}

export interface CsvDataset {
  features: FeatureDef[];
  columns: ColumnarData;
  labels: Uint8Array;
  time?: Float64Array;
  positive: string;
  /** How each feature column was read (kept in the feature spec, so scoring reads files the same way). */
  formats: Record<string, ColumnFormat>;
  /** One line per feature column: name, inferred type, separators or date format, missing share. */
  report: string[];
  /** Columns of the file that are not features, and why (the report's data section lists them). */
  excluded: { feature: string; reason: string }[];
  warnings: string[];
}

export function columnIndex(table: CsvTable, name: string, file: string, role: string): number {
  const index = table.header.indexOf(name);
  if (index < 0)
    throw new BadInputError(
      `${file}: no ${role} column '${name}' (columns: ${table.header.slice(0, 12).join(', ')}${table.header.length > 12 ? ', …' : ''})`,
    );
  return index;
}

/**
 * Numbers of a numeric (or date, as days since 1970) column; a cell that does not read is an error naming the
 * column and line.
 */
export function numericColumn(
  table: CsvTable,
  index: number,
  file: string,
  format: ColumnFormat = { kind: 'number', thousands: '', decimal: '.' },
  missing: Set<string> = missingTokens([]),
): Float64Array {
  const out = new Float64Array(table.rows.length);
  table.rows.forEach((cells, i) => {
    const cell = cells[index] as string;
    if (missing.has(cell.trim().toLowerCase())) {
      out[i] = Number.NaN;
      return;
    }
    const value =
      format.kind === 'date' ? readDate(cell, format.format) / DAY_MS : format.kind === 'number' ? readNumber(cell, format) : Number.NaN;
    if (Number.isNaN(value)) {
      const what = format.kind === 'date' ? `a ${format.format} date` : 'a number';
      throw new BadInputError(
        `${file}: column '${table.header[index]}', line ${table.lines[i]}: '${cell}' is not ${what} (the column is ${format.kind === 'date' ? 'a date' : 'numeric'})`,
      );
    }
    out[i] = value;
  });
  return out;
}

/** Non-missing cells of a column. */
function presentCells(table: CsvTable, index: number, missing: Set<string>): string[] {
  const out: string[] = [];
  for (const cells of table.rows) {
    const cell = cells[index] as string;
    if (!missing.has(cell.trim().toLowerCase())) out.push(cell);
  }
  return out;
}

function levelColumn(table: CsvTable, index: number, placeholders: Set<string>): (string | null)[] {
  return table.rows.map((cells) => {
    const cell = (cells[index] as string).trim();
    return cell === '' || placeholders.has(cell.toLowerCase()) ? null : cell;
  });
}

/** A text column that is numbers but for a few repeated values ("Select", "-") is most likely a placeholder. */
function placeholderHint(file: string, name: string, cells: string[]): string | null {
  const others = new Map<string, number>();
  let numbers = 0;
  for (const cell of cells) {
    if (!Number.isNaN(Number(cell.trim())) && cell.trim() !== '') numbers++;
    else others.set(cell.trim(), (others.get(cell.trim()) ?? 0) + 1);
  }
  if (numbers < cells.length / 2 || others.size === 0 || others.size > 3) return null;
  const list = [...others].map(([value, count]) => `'${value}' (${((100 * count) / cells.length).toFixed(0)}%)`).join(', ');
  return `${file}: column '${name}' is numbers but for ${list}, so it is read as text; if that means missing, pass --na ${[...others.keys()].join(',')}`;
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

function parseTime(table: CsvTable, name: string, file: string, dateFormat: DateFormat | undefined): Float64Array {
  if (name === '@row') return Float64Array.from(table.rows, (_, i) => i);
  const index = columnIndex(table, name, file, 'time');
  const format = inferColumnFormat(
    table.rows.map((cells) => cells[index] as string),
    { file, column: name, dateFormat },
  );
  return Float64Array.from(table.rows, (cells, i) => {
    const cell = (cells[index] as string).trim();
    const value =
      format.kind === 'number' ? readNumber(cell, format) : format.kind === 'date' ? readDate(cell, format.format) : Date.parse(cell);
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
  const formats: Record<string, ColumnFormat> = {};
  const report: string[] = [];
  const warnings = [...table.warnings];
  const missing = missingTokens(options.na ?? []);
  // Only placeholders the user names are missing in text columns ('NA' may be a real category there).
  const placeholders = new Set((options.na ?? []).map((t) => t.trim().toLowerCase()));
  table.header.forEach((name, index) => {
    if (excluded.has(name)) return;
    const present = presentCells(table, index, missing);
    const format: ColumnFormat = options.categorical.includes(name)
      ? { kind: 'text' }
      : inferColumnFormat(present, { file, column: name, dateFormat: options.dateFormat });
    const numeric = format.kind !== 'text';
    features.push({ name, type: numeric ? 'numeric' : 'categorical' });
    columns[name] = numeric ? numericColumn(table, index, file, format, missing) : levelColumn(table, index, placeholders);
    formats[name] = format;
    const missingShare = 1 - present.length / table.rows.length;
    report.push(`${name}: ${describeFormat(format)}${missingShare > 0 ? `, ${(missingShare * 100).toFixed(1)}% missing` : ''}`);
    if (format.kind === 'text' && !options.categorical.includes(name)) {
      const hint = placeholderHint(file, name, present);
      if (hint) warnings.push(hint);
    }
  });
  if (features.length === 0) throw new BadInputError(`${file}: no feature columns left after dropping target, time and --drop`);
  const excludedList = [
    { feature: options.target, reason: 'the target' },
    ...(options.time && options.time !== '@row' ? [{ feature: options.time, reason: 'the time column: it orders the slices' }] : []),
    ...options.drop
      .filter((name) => name !== options.target && name !== options.time)
      .map((name) => ({ feature: name, reason: 'left out with --drop (e.g. a leak known only after the outcome)' })),
  ];
  const dataset: CsvDataset = { features, columns, labels, positive, formats, report, excluded: excludedList, warnings };
  if (options.time) dataset.time = parseTime(table, options.time, file, options.dateFormat);
  return dataset;
}

export interface ScoringCsvOptions {
  /** How training read each feature column (absent for older or bring-your-own specs). */
  formats?: Record<string, ColumnFormat> | undefined;
  na?: string[];
}

/**
 * Records for scoring, typed by the model's feature spec; every feature column must be present, and a column
 * whose type differs from training (text where training read numbers or dates, or numbers where it read
 * categories) is an error naming it, rather than a silent change of every probability.
 */
export function recordsFromCsv(
  table: CsvTable,
  file: string,
  spec: FeatureSpecEntry[],
  options: ScoringCsvOptions = {},
): Record<string, FeatureValue>[] {
  const missing = missingTokens(options.na ?? []);
  const placeholders = new Set((options.na ?? []).map((t) => t.trim().toLowerCase()));
  const columns = spec.map((feature) => {
    const index = columnIndex(table, feature.name, file, 'feature');
    const trained = options.formats?.[feature.name];
    if (!trained) return feature.type === 'numeric' ? numericColumn(table, index, file) : levelColumn(table, index, placeholders);
    const present = presentCells(table, index, missing);
    const hint = trained.kind === 'date' ? trained.format : undefined;
    const here = present.length === 0 ? trained : inferColumnFormat(present, { file, column: feature.name, dateFormat: hint });
    if (trained.kind !== 'text' && here.kind !== trained.kind) {
      const example = present.find((c) =>
        trained.kind === 'number' ? Number.isNaN(readNumber(c, trained)) : Number.isNaN(readDate(c, trained.format)),
      );
      throw new BadInputError(
        `${file}: column '${feature.name}' is ${describeFormat(here)} here but was ${describeFormat(trained)} in training (e.g. '${example ?? present[0]}'): fix the export or retrain`,
      );
    }
    if (trained.kind === 'text' && here.kind !== 'text') {
      const known = new Set(feature.levels ?? []);
      const distinct = [...new Set(present.map((c) => c.trim()))];
      if (distinct.filter((v) => known.has(v)).length < distinct.length / 2) {
        throw new BadInputError(
          `${file}: column '${feature.name}' is ${describeFormat(here)} here but was text (categories) in training, and most of its values are unknown to the model: fix the export or retrain`,
        );
      }
    }
    return trained.kind === 'text' ? levelColumn(table, index, placeholders) : numericColumn(table, index, file, here, missing);
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
