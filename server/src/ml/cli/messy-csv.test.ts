import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';

const BANK = new URL('../../../../../shared/datasets/uci-bank-marketing/bank-full.csv', import.meta.url).pathname;

async function cli(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(argv, { stdout, stderr, env: {} });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'cw-messy-'));
function write(name: string, content: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** "1,532" with a thousands separator, as spreadsheets export amounts. */
const withThousands = (n: number) => `${n < 0 ? '-' : ''}${Math.abs(n).toLocaleString('en-US')}`;

describe('CSV import that understands real exports', () => {
  it.skipIf(!existsSync(BANK))('thousands separators and decimal commas are read as numbers: same AUC as the clean file', async () => {
    const lines = readFileSync(BANK, 'utf8').trim().split('\n');
    const sample = [lines[0] as string, ...lines.slice(1).filter((_, i) => i % 4 === 0)];
    const messy = sample.map((line, i) => {
      if (i === 0) return line;
      const cells = line.split(';');
      cells[0] = `${cells[0]},00`; // age with a decimal comma
      cells[5] = withThousands(Number(cells[5])); // balance with thousands separators
      return cells.join(';');
    });
    expect(messy.some((l) => /;\d{1,3},\d{3};/.test(l))).toBe(true);
    const args = ['--target', 'y', '--positive', 'yes', '--drop', 'duration', '--folds', '2', '--json'];
    const clean = await cli('model', 'evaluate', '--csv', write('bank-clean.csv', `${sample.join('\n')}\n`), ...args);
    const dirty = await cli('model', 'evaluate', '--csv', write('bank-messy.csv', `${messy.join('\n')}\n`), ...args);
    expect(clean.code).toBe(0);
    expect(dirty.code).toBe(0);
    const [a, b] = [JSON.parse(clean.out).auc.mean, JSON.parse(dirty.out).auc.mean];
    console.log(`bank sample (${sample.length - 1} rows): clean AUC ${a.toFixed(4)}, thousands/decimal-comma AUC ${b.toFixed(4)}`);
    expect(Math.abs(a - b)).toBeLessThanOrEqual(0.002);
    expect(dirty.err).toMatch(/balance: number \(thousands ','\)/);
    expect(dirty.err).toMatch(/age: number \(decimal ','\)/);
  });

  const people = (dates: string[], extra = '') =>
    `name;created;amount;won${extra}\n${dates.map((d, i) => `p${i};${d};${100 + ((i * 37) % 50)};${i % 3 === 0 ? 'yes' : 'no'}${extra ? ';' : ''}`).join('\n')}\n`;

  it('an ambiguous DD-MM / MM-DD date column is an error naming it unless --date-format is given', async () => {
    const dates = Array.from(
      { length: 60 },
      (_, i) => `${String((i % 12) + 1).padStart(2, '0')}-${String((i % 11) + 1).padStart(2, '0')}-2024`,
    );
    const file = write('dates.csv', people(dates));
    const refused = await cli(
      'model',
      'train',
      '--csv',
      file,
      '--target',
      'won',
      '--drop',
      'name',
      '--folds',
      '0',
      '--out',
      join(dir, 'm-dates'),
    );
    console.log(refused.err.trim());
    expect(refused.code).toBe(2);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toMatch(/dates\.csv: column 'created': dates like '01-01-2024' could be DD-MM-YYYY or MM-DD-YYYY/);
    const given = await cli(
      'model',
      'train',
      '--csv',
      file,
      '--target',
      'won',
      '--drop',
      'name',
      '--folds',
      '0',
      '--date-format',
      'DD-MM-YYYY',
      '--out',
      join(dir, 'm-dates'),
    );
    expect(given.code).toBe(0);
    expect(given.err).toMatch(/created: date \(DD-MM-YYYY\)/);
  });

  it('a Latin-1 file is an error with a hint unless --encoding latin1 is given', async () => {
    const text = `city;amount;won\n${Array.from({ length: 40 }, (_, i) => `${i % 2 ? 'Orléans' : 'Paris'};${i};${i % 3 ? 'no' : 'yes'}`).join('\n')}\n`;
    const file = write('latin1.csv', Buffer.from(text, 'latin1'));
    const refused = await cli('model', 'train', '--csv', file, '--target', 'won', '--folds', '0', '--out', join(dir, 'm-latin'));
    console.log(refused.err.trim());
    expect(refused.code).toBe(2);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toMatch(/latin1\.csv: not UTF-8 .*line 3.*--encoding latin1/);
    const given = await cli(
      'model',
      'train',
      '--csv',
      file,
      '--target',
      'won',
      '--folds',
      '0',
      '--encoding',
      'latin1',
      '--out',
      join(dir, 'm-latin'),
    );
    expect(given.code).toBe(0);
    const spec = JSON.parse(readFileSync(join(dir, 'm-latin', 'feature-spec.json'), 'utf8'));
    expect(spec.features.find((f: { name: string }) => f.name === 'city').levels).toContain('Orléans');
  });

  it('an Excel trailing separator (empty header) is dropped with a warning', async () => {
    const text = `a;b;y;\n${Array.from({ length: 40 }, (_, i) => `${i};${i % 2 ? 'x' : 'z'};${i % 3 ? 'no' : 'yes'};`).join('\n')}\n`;
    const result = await cli(
      'model',
      'train',
      '--csv',
      write('excel.csv', text),
      '--target',
      'y',
      '--folds',
      '0',
      '--out',
      join(dir, 'm-excel'),
    );
    console.log(
      result.err
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('warning'))
        .join('\n'),
    );
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/warning: .*excel\.csv: dropped 1 column with an empty header \(column 4/);
  });

  it('placeholder text is reported, and --na makes it missing', async () => {
    const text = `a;y\n${Array.from({ length: 60 }, (_, i) => `${i % 7 === 0 ? 'Select' : i};${i % 3 ? 'no' : 'yes'}`).join('\n')}\n`;
    const file = write('select.csv', text);
    const plain = await cli('model', 'train', '--csv', file, '--target', 'y', '--folds', '0', '--out', join(dir, 'm-na'));
    expect(plain.err).toMatch(/column 'a' is numbers but for 'Select' \(15%\).*--na Select/);
    const given = await cli('model', 'train', '--csv', file, '--target', 'y', '--folds', '0', '--na', 'Select', '--out', join(dir, 'm-na'));
    expect(given.code).toBe(0);
    expect(given.err).toMatch(/a: number, 15\.0% missing/);
  });

  it('scoring a file whose column type differs from training is an error naming the column', async () => {
    const train = write('typed.csv', people(Array.from({ length: 60 }, (_, i) => `2024-03-${String((i % 28) + 1).padStart(2, '0')}`)));
    const trained = await cli(
      'model',
      'train',
      '--csv',
      train,
      '--target',
      'won',
      '--drop',
      'name',
      '--folds',
      '0',
      '--out',
      join(dir, 'm-typed'),
    );
    expect(trained.code).toBe(0);
    const score = write('typed-score.csv', `name;created;amount\nq1;2024-05-01;about 120\nq2;2024-05-02;n/k\nq3;2024-05-03;lots\n`);
    const out = join(dir, 'typed-scores.csv');
    const refused = await cli('model', 'score', '--model', join(dir, 'm-typed'), '--csv', score, '--out', out);
    console.log(refused.err.trim());
    expect(refused.code).toBe(2);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toMatch(/typed-score\.csv: column 'amount' is text here but was number in training/);
    expect(existsSync(out)).toBe(false);
  });
});
