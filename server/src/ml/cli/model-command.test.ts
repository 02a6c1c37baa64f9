import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { rocAuc } from '../metrics.ts';
import { loadScorer } from '../scorer.ts';
import { syntheticData } from '../test-support/synthetic.ts';

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

function syntheticCsv(dir: string, n: number, seed: number): string {
  const data = syntheticData(n, seed);
  const lines = ['id;up;down;noise;signal;plan;converted'];
  data.rows.forEach((r, i) => {
    lines.push([`deal-${i}`, r.up, r.down, r.noise, r.signal ?? '', `"${r.plan}"`, data.labels[i] ? 'yes' : 'no'].join(';'));
  });
  const file = join(dir, `synthetic-${seed}.csv`);
  writeFileSync(file, `\ufeff${lines.join('\r\n')}\r\n`);
  return file;
}

describe('closewise model', () => {
  it.skipIf(!existsSync(BANK))('evaluate --json on bank-full prints the documented object with a sound AUC', async () => {
    const { code, out } = await cli(
      'model',
      'evaluate',
      '--csv',
      BANK,
      '--target',
      'y',
      '--positive',
      'yes',
      '--drop',
      'duration',
      '--folds',
      '2',
      '--json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.auc.folds).toHaveLength(2);
    expect(result.auc.mean).toBeGreaterThan(0.78);
    expect(result.auc.std).toBeGreaterThanOrEqual(0);
    expect(result.ece).toBeLessThan(0.03);
    expect(result.fitSeconds.mean).toBeGreaterThan(0);
    expect(result).toMatchObject({ rows: 45211, features: 15 });
    for (const key of ['logLoss', 'brier']) expect(typeof result[key]).toBe('number');
    expect(out.trim().split('\n')).toHaveLength(1);
  });

  it('train --models limits the candidates and refuses unknown ones with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-model-'));
    const train = syntheticCsv(dir, 1000, 1);
    const args = ['model', 'train', '--csv', train, '--target', 'converted', '--drop', 'id', '--folds', '0', '--out', join(dir, 'm')];
    const bad = await cli(...args, '--models', 'gbdt,forest');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--models: unknown model forest \(use gbdt, logistic\)/);
    const linear = await cli(...args, '--models', 'logistic');
    expect(linear.code).toBe(0);
    expect(linear.err).toMatch(/validation AUC \(stratified\): logistic 0\.\d{4}; chosen: logistic/);
    expect(linear.err).toMatch(/trained a logistic regression \(L2 /);
  });

  it('train writes the four files, score writes id, probability and three reasons', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-model-'));
    const train = syntheticCsv(dir, 3000, 1);
    const modelDir = join(dir, 'model');
    const trained = await cli(
      'model',
      'train',
      '--csv',
      train,
      '--target',
      'converted',
      '--drop',
      'id',
      '--time',
      '@row',
      '--folds',
      '2',
      '--out',
      modelDir,
    );
    expect(trained.err).not.toMatch(/closewise:/);
    expect(trained.code).toBe(0);
    expect(readdirSync(modelDir).sort()).toEqual(['feature-spec.json', 'model-card.json', 'model.onnx', 'report.html']);
    const card = JSON.parse(readFileSync(join(modelDir, 'model-card.json'), 'utf8'));
    expect(card.holdout.auc).toBeGreaterThan(0.7);
    expect(card.crossValidation.folds).toBe(2);
    // Both candidates' validation AUCs and the choice are printed, and the card holds the same.
    const printed = trained.err.match(/validation AUC \(newest rows\): gbdt (0\.\d{4}), logistic (0\.\d{4}); chosen: (gbdt|logistic)/);
    expect(printed).not.toBeNull();
    expect(card.selection).toMatchObject({ validation: 'time', chosen: printed?.[3] });
    expect(card.selection.candidates.map((c: { auc: number }) => c.auc.toFixed(4))).toEqual([printed?.[1], printed?.[2]]);
    expect(readFileSync(join(modelDir, 'report.html'), 'utf8')).toContain('Calibration');
    const spec = JSON.parse(readFileSync(join(modelDir, 'feature-spec.json'), 'utf8'));
    expect(spec.target).toEqual({ name: 'converted', positive: 'yes' });

    const score = syntheticCsv(dir, 50, 2);
    const outFile = join(dir, 'scores.csv');
    const scored = await cli('model', 'score', '--model', modelDir, '--csv', score, '--out', outFile);
    expect(scored.code).toBe(0);
    const lines = readFileSync(outFile, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,probability,reason_1,reason_2,reason_3');
    expect(lines).toHaveLength(51);
    const first = lines[1] as string;
    expect(first.startsWith('deal-0,0.')).toBe(true);
    expect(first).toMatch(/(raises|lowers)/);
  });

  it('train prints a hold-out AUC from the newest rows, used neither for early stopping nor for calibration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-honest-'));
    const file = syntheticCsv(dir, 4000, 3);
    const modelDir = join(dir, 'model');
    const trained = await cli(
      'model',
      'train',
      '--csv',
      file,
      '--target',
      'converted',
      '--drop',
      'id',
      '--time',
      '@row',
      '--folds',
      '0',
      '--out',
      modelDir,
    );
    expect(trained.code).toBe(0);
    const printed = /hold-out AUC (\d\.\d{4}) on (\d+) rows .*used neither for early stopping nor for calibration/.exec(trained.err);
    console.log(trained.err.trim());
    expect(printed).not.toBeNull();
    const card = JSON.parse(readFileSync(join(modelDir, 'model-card.json'), 'utf8'));
    const { earlyStopping, calibration, test } = card.slices;
    expect(test.rows).toBe(Number(printed?.[2]));
    expect(test.timeFrom).toBeGreaterThan(earlyStopping.timeTo);
    expect(test.timeFrom).toBeGreaterThan(calibration.timeTo);
    // Re-score exactly those rows (the newest: rows are in time order) with the written model.
    const data = syntheticData(4000, 3);
    const scorer = await loadScorer({
      onnx: new Uint8Array(readFileSync(join(modelDir, 'model.onnx'))),
      featureSpec: JSON.parse(readFileSync(join(modelDir, 'feature-spec.json'), 'utf8')),
    });
    const from = test.timeFrom as number;
    const p = await scorer.predict(data.rows.slice(from));
    expect(rocAuc(data.labels.slice(from), p).toFixed(4)).toBe(printed?.[1]);
  });

  it('evaluate --time adds a time hold-out, and --report writes the HTML with its figures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-time-'));
    const file = syntheticCsv(dir, 2000, 5);
    const report = join(dir, 'report.html');
    const { code, out } = await cli(
      'model',
      'evaluate',
      '--csv',
      file,
      '--target',
      'converted',
      '--drop',
      'id',
      '--time',
      '@row',
      '--folds',
      '3',
      '--json',
      '--report',
      report,
    );
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.auc.folds).toHaveLength(3);
    expect(result.timeHoldout.testRows).toBe(400);
    expect(result.timeHoldout.auc).toBeGreaterThan(0.7);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    const figures = JSON.parse(html.split('<script type="application/json" id="figures">')[1]?.split('</script>')[0] ?? '{}');
    expect(figures.calibration).toHaveLength(10);
    expect(figures.lift).toHaveLength(10);
  });

  it('bad input: one-line error naming the file/column/line, exit 2, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-bad-'));
    const write = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    const good = 'a;b;y\n1;x;yes\n2;y;no\n3;x;yes\n4;y;no\n';
    const cases: [string[], RegExp][] = [
      [['--csv', join(dir, 'missing.csv'), '--target', 'y'], /missing\.csv: no such file/],
      [['--csv', write('t.csv', good), '--target', 'nope'], /t\.csv: no target column 'nope'/],
      [['--csv', write('c3.csv', 'a;y\n1;p\n2;q\n3;r\n'), '--target', 'y'], /c3\.csv: column 'y' has 3 classes/],
      [['--csv', write('k.csv', 'a;y\n1;yes\n2;yes\n'), '--target', 'y'], /k\.csv: column 'y' is constant/],
      [['--csv', write('e.csv', ''), '--target', 'y'], /e\.csv: the CSV file is empty/],
      [['--csv', write('r.csv', 'a;b;y\n1;x;yes\n2;no\n'), '--target', 'y'], /r\.csv: line 3 has 2 fields, the header has 3/],
      [
        [
          '--csv',
          write('n.csv', `a;y\n${Array.from({ length: 30 }, (_, i) => `${i === 17 ? 'oops' : i};${i % 2 ? 'yes' : 'no'}`).join('\n')}\n`),
          '--target',
          'y',
        ],
        /n\.csv: column 'a', line 19: 'oops' is not a number/,
      ],
    ];
    for (const [args, message] of cases) {
      for (const sub of ['evaluate', 'train']) {
        const out = join(dir, `out-${sub}`);
        const result = await cli('model', sub, ...args, ...(sub === 'train' ? ['--out', out] : []));
        expect(result.code, `${sub} ${args.join(' ')}`).toBe(2);
        expect(result.err).toMatch(message);
        expect(result.err.trim().split('\n')).toHaveLength(1);
        expect(existsSync(out)).toBe(false);
      }
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('.') || f.startsWith('out'))).toEqual([]);
    const scoreOut = join(dir, 'scores.csv');
    const missingModel = await cli('model', 'score', '--model', join(dir, 'none'), '--csv', write('s.csv', good), '--out', scoreOut);
    expect(missingModel.code).toBe(2);
    expect(existsSync(scoreOut)).toBe(false);
  });
});
