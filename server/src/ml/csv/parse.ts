import { BadInputError } from '../../errors/errors.ts';

export interface CsvTable {
  header: string[];
  /** Data rows as raw cell text ('' = empty cell). */
  rows: string[][];
  /** Line in the file where each data row starts (for error messages). */
  lines: number[];
  separator: string;
  /** Things the reader should know that did not stop the read (e.g. dropped empty header columns). */
  warnings: string[];
}

/** Picks ',' ';' or tab by which occurs most in the header line outside quotes. */
function detectSeparator(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, (counts.get(c) as number) + 1);
  }
  let best = ',';
  for (const [sep, count] of counts) if (count > (counts.get(best) as number)) best = sep;
  return best;
}

/**
 * RFC 4180 CSV as real exports write it: ',' or ';' (or tab) separators, quoted fields with "" escapes and
 * line breaks, CRLF or LF, UTF-8 with or without BOM. Ragged rows are an error naming the line.
 */
export function parseCsv(content: string, file: string): CsvTable {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  if (text.trim() === '') throw new BadInputError(`${file}: the CSV file is empty`);
  const separator = detectSeparator(text);
  const sep = separator.charCodeAt(0);
  const records: { cells: string[]; line: number }[] = [];
  const length = text.length;
  let i = 0;
  let line = 1;
  // One record per iteration; unquoted fields are sliced, not built character by character.
  while (i < length) {
    const recordLine = line;
    const cells: string[] = [];
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === 34) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote < 0) throw new BadInputError(`${file}: line ${recordLine}: a quoted field is never closed`);
          value += text.slice(from, quote);
          if (text.charCodeAt(quote + 1) === 34) {
            value += '"';
            from = quote + 2;
          } else {
            i = quote + 1;
            break;
          }
        }
        for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) line++;
        // Anything between the closing quote and the separator is kept, as spreadsheet programs do.
        let j = i;
        while (j < length) {
          const c = text.charCodeAt(j);
          if (c === sep || c === 10 || c === 13) break;
          j++;
        }
        field = value + text.slice(i, j);
        i = j;
      } else {
        let j = i;
        while (j < length) {
          const c = text.charCodeAt(j);
          if (c === sep || c === 10 || c === 13) break;
          j++;
        }
        field = text.slice(i, j);
        i = j;
      }
      cells.push(field);
      if (i < length && text.charCodeAt(i) === sep) {
        i++;
        continue;
      }
      break;
    }
    if (text.charCodeAt(i) === 13) i++;
    if (text.charCodeAt(i) === 10) i++;
    line++;
    if (!(cells.length === 1 && cells[0] === '')) records.push({ cells, line: recordLine });
  }
  const [head, ...body] = records;
  if (!head) throw new BadInputError(`${file}: the CSV file is empty`);
  const fullHeader = head.cells.map((h) => h.trim());
  if (body.length === 0) throw new BadInputError(`${file}: the CSV file has a header but no data rows`);
  // Rows may stop before trailing empty-header columns (Excel writes the extra separator on some lines only).
  let required = fullHeader.length;
  while (required > 1 && fullHeader[required - 1] === '') required--;
  for (const record of body) {
    if (record.cells.length > fullHeader.length || record.cells.length < required) {
      throw new BadInputError(`${file}: line ${record.line} has ${record.cells.length} fields, the header has ${fullHeader.length}`);
    }
  }
  // Excel writes a trailing separator (an empty header) when a sheet had a stray cell: drop such columns.
  const warnings: string[] = [];
  const kept = fullHeader.map((name, i) => (name === '' ? -1 : i)).filter((i) => i >= 0);
  if (kept.length < fullHeader.length) {
    const dropped = fullHeader.map((name, i) => (name === '' ? i + 1 : 0)).filter((i) => i > 0);
    const filled = body.filter((r) => dropped.some((i) => (r.cells[i - 1] ?? '').trim() !== '')).length;
    warnings.push(
      `${file}: dropped ${dropped.length} column${dropped.length > 1 ? 's' : ''} with an empty header (column ${dropped.join(', ')}; ${filled} rows had a value there)`,
    );
  }
  if (kept.length === 0) throw new BadInputError(`${file}: the header has no column names`);
  const header = kept.map((i) => fullHeader[i] as string);
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new BadInputError(`${file}: column '${name}' appears twice in the header`);
    seen.add(name);
  }
  const rows = kept.length === fullHeader.length ? body.map((r) => r.cells) : body.map((r) => kept.map((i) => r.cells[i] ?? ''));
  return { header, rows, lines: body.map((r) => r.line), separator, warnings };
}
