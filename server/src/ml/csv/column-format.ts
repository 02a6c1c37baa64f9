import { BadInputError } from '../../errors/errors.ts';

/**
 * How a CSV column's text is read, inferred from its content: numbers (with the export's thousands and decimal
 * separators), dates (with their day/month order) or text. Stored in the feature spec, so scoring reads a file
 * the way training did, and refuses one whose columns changed type.
 */
export type ColumnFormat =
  | { kind: 'number'; thousands: ThousandsSeparator; decimal: '.' | ',' }
  | { kind: 'date'; format: DateFormat }
  | { kind: 'text' };

export type ThousandsSeparator = '' | ',' | '.' | ' ' | "'";
export type DateFormat = 'YYYY-MM-DD' | 'DD-MM-YYYY' | 'MM-DD-YYYY';

/** Share of non-missing cells that must read under a format for the column to have it. */
export const FORMAT_SHARE = 0.9;

const DEFAULT_MISSING = ['', 'na', 'n/a', 'null', 'nan', 'none'];

export function missingTokens(extra: string[]): Set<string> {
  return new Set([...DEFAULT_MISSING, ...extra.map((token) => token.trim().toLowerCase())]);
}

const COMMA_THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const DOT_THOUSANDS = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d*,\d+$/;
const SPACE_THOUSANDS = /^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?$/;
const APOSTROPHE_THOUSANDS = /^[+-]?\d{1,3}('\d{3})+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DMY_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

const GROUPED: Record<Exclude<ThousandsSeparator, ''>, { pattern: RegExp; separator: RegExp }> = {
  ',': { pattern: COMMA_THOUSANDS, separator: /,/g },
  '.': { pattern: DOT_THOUSANDS, separator: /\./g },
  ' ': { pattern: SPACE_THOUSANDS, separator: /[ \u00a0\u202f]/g },
  "'": { pattern: APOSTROPHE_THOUSANDS, separator: /'/g },
};

/** A cell as a number under a column's number format (NaN when it is not one). */
export function readNumber(cell: string, format: { thousands: ThousandsSeparator; decimal: '.' | ',' }): number {
  let text = cell.trim();
  if (text === '') return Number.NaN;
  if (format.thousands !== '') {
    const grouped = GROUPED[format.thousands];
    if (grouped.pattern.test(text)) text = text.replace(grouped.separator, '');
  }
  if (format.decimal === ',') {
    if (text.includes('.')) return Number.NaN;
    text = text.replace(',', '.');
  } else if (text.includes(',')) return Number.NaN;
  return Number(text);
}

/** A cell as epoch milliseconds (UTC) under a date format (NaN when it is not one). */
export function readDate(cell: string, format: DateFormat): number {
  const text = cell.trim();
  if (format === 'YYYY-MM-DD') return ISO_DATE.test(text) ? Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text) : Number.NaN;
  const m = DMY_DATE.exec(text);
  if (!m) return Number.NaN;
  const [first, second] = [Number(m[1]), Number(m[3])];
  const [day, month] = format === 'DD-MM-YYYY' ? [first, second] : [second, first];
  if (month < 1 || month > 12 || day < 1 || day > 31) return Number.NaN;
  return Date.UTC(Number(m[4]), month - 1, day, Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0));
}

export function parseDateFormat(value: string | undefined): DateFormat | undefined {
  if (value === undefined) return undefined;
  const normalised = value.trim().toUpperCase().replace(/[/.]/g, '-');
  if (normalised === 'DD-MM-YYYY' || normalised === 'MM-DD-YYYY' || normalised === 'YYYY-MM-DD') return normalised;
  throw new BadInputError(`--date-format must be DD-MM-YYYY, MM-DD-YYYY or YYYY-MM-DD, got '${value}'`);
}

export interface InferOptions {
  /** How to read day/month dates when every day and month is ≤ 12 (--date-format). */
  dateFormat?: DateFormat | undefined;
  /** Where an error names the column. */
  file: string;
  column: string;
}

const share = (count: number, total: number) => total > 0 && count / total >= FORMAT_SHARE;

function numberFormats(cells: string[]): { thousands: ThousandsSeparator; decimal: '.' | ',' }[] {
  const has = (pattern: RegExp) => cells.some((c) => pattern.test(c));
  const formats: { thousands: ThousandsSeparator; decimal: '.' | ',' }[] = [{ thousands: '', decimal: '.' }];
  // "1,532" alone could be 1532 or 1.532; a comma followed by anything but groups of three digits settles it.
  const decimalComma = cells.some((c) => DECIMAL_COMMA.test(c) && !COMMA_THOUSANDS.test(c));
  if (decimalComma) formats.push({ thousands: has(DOT_THOUSANDS) ? '.' : '', decimal: ',' });
  else if (has(COMMA_THOUSANDS)) formats.push({ thousands: ',', decimal: '.' });
  if (has(DOT_THOUSANDS)) formats.push({ thousands: '.', decimal: ',' });
  if (has(SPACE_THOUSANDS)) formats.push({ thousands: ' ', decimal: cells.some((c) => /,\d+$/.test(c)) ? ',' : '.' });
  if (has(APOSTROPHE_THOUSANDS)) formats.push({ thousands: "'", decimal: '.' });
  return formats;
}

function dateFormatOf(cells: string[], options: InferOptions): DateFormat | null {
  if (share(cells.filter((c) => ISO_DATE.test(c)).length, cells.length)) return 'YYYY-MM-DD';
  const parts = cells.map((c) => DMY_DATE.exec(c));
  if (!share(parts.filter((m) => m !== null).length, cells.length)) return null;
  const firstOver12 = parts.some((m) => m !== null && Number(m[1]) > 12);
  const secondOver12 = parts.some((m) => m !== null && Number(m[3]) > 12);
  if (firstOver12 && secondOver12) return null;
  if (firstOver12) return 'DD-MM-YYYY';
  if (secondOver12) return 'MM-DD-YYYY';
  if (options.dateFormat && options.dateFormat !== 'YYYY-MM-DD') return options.dateFormat;
  const example = cells.find((c) => DMY_DATE.test(c)) ?? '';
  throw new BadInputError(
    `${options.file}: column '${options.column}': dates like '${example}' could be DD-MM-YYYY or MM-DD-YYYY (every day and month is ≤ 12): pass --date-format DD-MM-YYYY or MM-DD-YYYY`,
  );
}

/** Infers a column's format from its non-missing cells (numbers first, then dates, else text). */
export function inferColumnFormat(cells: string[], options: InferOptions): ColumnFormat {
  const present = cells.map((c) => c.trim());
  if (present.length === 0) return { kind: 'text' };
  let best: { format: { thousands: ThousandsSeparator; decimal: '.' | ',' }; count: number } | null = null;
  for (const format of numberFormats(present)) {
    const count = present.filter((c) => !Number.isNaN(readNumber(c, format))).length;
    if (!best || count > best.count) best = { format, count };
  }
  if (best && share(best.count, present.length)) return { kind: 'number', ...best.format };
  const date = dateFormatOf(present, options);
  if (date) return { kind: 'date', format: date };
  return { kind: 'text' };
}

/** One line for the column report: "balance: number (thousands ',', decimal '.')". */
export function describeFormat(format: ColumnFormat): string {
  if (format.kind === 'number') {
    const parts = [format.thousands ? `thousands '${format.thousands}'` : '', format.decimal === ',' ? "decimal ','" : ''].filter(Boolean);
    return parts.length > 0 ? `number (${parts.join(', ')})` : 'number';
  }
  if (format.kind === 'date') return `date (${format.format})`;
  return 'text';
}
