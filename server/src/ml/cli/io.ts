import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BadInputError } from '../../errors/errors.ts';
import { type CsvEncoding, decodeCsv } from '../csv/decode.ts';
import { type CsvTable, parseCsv } from '../csv/parse.ts';

export async function readCsvFile(file: string, encoding: CsvEncoding = 'utf-8'): Promise<CsvTable> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BadInputError(
      `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`,
    );
  }
  return parseCsv(decodeCsv(bytes, file, encoding), file);
}

export function splitList(value: string | undefined): string[] {
  return value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [];
}

export function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new BadInputError(`--${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

/**
 * Writes files into a scratch folder beside the destination and moves them in only when all are written,
 * so a failure leaves nothing behind.
 */
export async function writeAtomically(outDir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const scratch = join(dirname(outDir), `.${basename(outDir)}.partial-${process.pid}`);
  await rm(scratch, { recursive: true, force: true });
  try {
    await mkdir(scratch, { recursive: true });
    for (const [name, content] of Object.entries(files)) await writeFile(join(scratch, name), content);
    await mkdir(outDir, { recursive: true });
    for (const name of Object.keys(files)) await rename(join(scratch, name), join(outDir, name));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function writeFileAtomically(file: string, content: string): Promise<void> {
  const scratch = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  try {
    await writeFile(scratch, content);
    await rename(scratch, file);
  } finally {
    await rm(scratch, { force: true });
  }
}
