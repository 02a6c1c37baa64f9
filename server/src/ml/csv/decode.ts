import { BadInputError } from '../../errors/errors.ts';

export type CsvEncoding = 'utf-8' | 'latin1';

/** `--encoding` values: utf-8 (default) or latin1 (read as Windows-1252, which is what "Latin-1" exports are). */
export function parseEncoding(value: string | undefined): CsvEncoding {
  if (value === undefined) return 'utf-8';
  const name = value.trim().toLowerCase().replace(/_/g, '-');
  if (name === 'utf-8' || name === 'utf8') return 'utf-8';
  if (['latin1', 'latin-1', 'iso-8859-1', 'windows-1252', 'cp1252'].includes(name)) return 'latin1';
  throw new BadInputError(`--encoding must be utf-8 or latin1, got '${value}'`);
}

/**
 * Decodes a file's bytes. UTF-8 is decoded strictly: a byte sequence that is not UTF-8 (an Excel or legacy CRM
 * export in Latin-1) is an error naming the file and line, instead of turning 'é' into '�' and every such
 * level into a new category.
 */
export function decodeCsv(bytes: Uint8Array, file: string, encoding: CsvEncoding): string {
  if (encoding === 'latin1') return new TextDecoder('windows-1252').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let line = 1;
    let bad = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (b === 10) line++;
      if (b < 0x80) continue;
      const length = utf8SequenceLength(bytes, i);
      if (length === 0) {
        bad = i;
        break;
      }
      i += length - 1;
    }
    throw new BadInputError(
      `${file}: not UTF-8 (byte 0x${(bytes[bad] as number).toString(16)} on line ${line}); it looks like a Latin-1/Windows-1252 export: pass --encoding latin1 or re-save it as UTF-8`,
    );
  }
}

/** Bytes of the valid UTF-8 sequence starting at i, or 0 when it is not one. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  const need = b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
  if (need < 0) return 0;
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (c === undefined || (c & 0xc0) !== 0x80) return 0;
  }
  return need + 1;
}
