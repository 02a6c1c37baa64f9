import { BadInputError } from '../../errors/errors.ts';

export interface CsvTable {
  header: string[];
  /** Data rows as raw cell text ('' = empty cell). */
  rows: string[][];
  /** Line in the file where each data row starts (for error messages). */
  lines: number[];
  separator: string;
}

/** Picks ',' ';' or tab by which occurs most in the header line outside quotes. */
function detectSeparator(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
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
  const records: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  const endRecord = () => {
    cells.push(field);
    if (!(cells.length === 1 && cells[0] === '' && !fieldStarted)) records.push({ cells, line: recordLine });
    cells = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (c === separator) {
      cells.push(field);
      field = '';
      fieldStarted = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw new BadInputError(`${file}: line ${recordLine}: a quoted field is never closed`);
  if (field !== '' || cells.length > 0 || fieldStarted) endRecord();
  const [head, ...body] = records;
  if (!head) throw new BadInputError(`${file}: the CSV file is empty`);
  const header = head.cells.map((h) => h.trim());
  if (body.length === 0) throw new BadInputError(`${file}: the CSV file has a header but no data rows`);
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '') throw new BadInputError(`${file}: the header has an empty column name`);
    if (seen.has(name)) throw new BadInputError(`${file}: column '${name}' appears twice in the header`);
    seen.add(name);
  }
  for (const record of body) {
    if (record.cells.length !== header.length) {
      throw new BadInputError(`${file}: line ${record.line} has ${record.cells.length} fields, the header has ${header.length}`);
    }
  }
  return { header, rows: body.map((r) => r.cells), lines: body.map((r) => r.line), separator };
}
