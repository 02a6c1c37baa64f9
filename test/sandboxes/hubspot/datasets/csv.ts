import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared/datasets beside the repository, unless CLOSEWISE_DATASETS_DIR says otherwise. */
export function datasetsDir(): string {
  return process.env.CLOSEWISE_DATASETS_DIR ?? fileURLToPath(new URL('../../../../../shared/datasets/', import.meta.url));
}

/**
 * Reads a delimited file with a header row into records keyed by column name. Handles double-quoted fields
 * (with "" escapes) and CRLF line ends; the shared datasets need nothing more.
 */
export function readDelimited(path: string, separator: string): Array<Record<string, string>> {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const header = splitLine(lines[0] ?? '', separator);
  return lines.slice(1).map((line) => {
    const cells = splitLine(line, separator);
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      row[name] = cells[i] ?? '';
    });
    return row;
  });
}

function splitLine(line: string, separator: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  out.push(cell);
  return out;
}
