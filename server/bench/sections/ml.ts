// ML engine bench: accuracy and fit time on bank-full against scikit-learn/XGBoost (same run),
// calibration, ONNX parity, TreeSHAP additivity, and scale (in a child process for an honest peak RSS).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { datasetFromCsv } from '../../src/ml/csv/dataset.ts';
import { parseCsv } from '../../src/ml/csv/parse.ts';
import { crossValidate } from '../../src/ml/evaluate.ts';
import { readOnnx } from '../../src/ml/onnx-read.ts';
import { loadScorer } from '../../src/ml/scorer.ts';
import { foldSplit, stratifiedFolds } from '../../src/ml/split-data.ts';
import { trainModel } from '../../src/ml/train.ts';
import { predictMargins } from '../../src/ml/tree.ts';
import type { ColumnarData, TrainInput } from '../../src/ml/types.ts';
import type { BenchContext, BenchSection } from '../section.ts';

const BANK = fileURLToPath(new URL('../../../../shared/datasets/uci-bank-marketing/bank-full.csv', import.meta.url));
const PYTHON = '/usr/bin/python3';

interface Reference {
  sklearn_hgb: { auc: number; auc_std: number; fit: number; cpu: number };
  xgboost: { auc: number; auc_std: number; fit: number; cpu: number } | null;
}

function runReference(ctx: BenchContext): Reference | null {
  if (!existsSync(PYTHON)) {
    ctx.log('  scikit-learn not installed, skipped (no /usr/bin/python3)');
    return null;
  }
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn, pandas'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    ctx.log('  scikit-learn not installed, skipped (apt-get install python3-sklearn python3-pandas python3-xgboost)');
    return null;
  }
  const script = fileURLToPath(new URL('./ml-reference.py', import.meta.url));
  const run = spawnSync(PYTHON, [script, BANK, 'y', 'yes', 'duration', '5'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) {
    ctx.log(`  reference run failed: ${run.stderr.trim().split('\n').pop()}`);
    return null;
  }
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as Reference;
}

function bankInput(): TrainInput {
  const table = parseCsv(readFileSync(BANK, 'utf8'), BANK);
  const dataset = datasetFromCsv(table, BANK, { target: 'y', positive: 'yes', drop: ['duration'], categorical: [] });
  // The trees alone: this section measures them against scikit-learn's and XGBoost's (model selection would add
  // the logistic regression's fit to every fold's time).
  return { features: dataset.features, columns: dataset.columns, labels: dataset.labels, seed: 42, candidates: ['gbdt'] };
}

async function accuracy(ctx: BenchContext, input: TrainInput): Promise<void> {
  ctx.log('bank-full, duration dropped, 5-fold stratified CV (seed 42)');
  const ours = crossValidate(input, 5);
  const reference = runReference(ctx);
  const row = (name: string, auc: number, sd: number, fit: number, cpu: number) =>
    ctx.log(`  ${name.padEnd(28)} AUC ${auc.toFixed(4)} ± ${sd.toFixed(4)}   fit ${fit.toFixed(3)} s/fold (CPU ${cpu.toFixed(3)} s)`);
  row('closewise (TypeScript)', ours.auc.mean, ours.auc.std, ours.fitSeconds.mean, ours.fitCpuSeconds.mean);
  if (reference) {
    const { sklearn_hgb: hgb, xgboost } = reference;
    row('scikit-learn HistGB', hgb.auc, hgb.auc_std, hgb.fit, hgb.cpu);
    if (xgboost) row('XGBoost hist', xgboost.auc, xgboost.auc_std, xgboost.fit, xgboost.cpu);
    else ctx.log('  XGBoost not installed, skipped');
  }
  ctx.record({ name: 'bank-full CV AUC', value: Number(ours.auc.mean.toFixed(4)), target: '≥ 0.801', pass: ours.auc.mean >= 0.801 });
  ctx.record({ name: 'bank-full CV ECE', value: Number(ours.ece.toFixed(4)), target: '≤ 0.02', pass: ours.ece <= 0.02 });
  ctx.record({ name: 'fit time per fold', value: Number(ours.fitSeconds.mean.toFixed(3)), unit: 's' });
  if (reference) {
    const ratio = ours.fitSeconds.mean / reference.sklearn_hgb.fit;
    ctx.record({
      name: 'fit time ratio vs scikit-learn HistGB',
      value: Number(ratio.toFixed(2)),
      unit: '×',
      target: '≤ 1.5×',
      pass: ratio <= 1.5,
    });
    const cpuRatio = ours.fitCpuSeconds.mean / reference.sklearn_hgb.cpu;
    ctx.record({ name: 'fit CPU-time ratio vs scikit-learn HistGB (all its threads)', value: Number(cpuRatio.toFixed(2)), unit: '×' });
    if (reference.xgboost)
      ctx.record({
        name: 'fit time ratio vs XGBoost',
        value: Number((ours.fitSeconds.mean / reference.xgboost.fit).toFixed(2)),
        unit: '×',
      });
  }
}

async function parity(ctx: BenchContext, input: TrainInput): Promise<void> {
  const labels = input.labels as Uint8Array;
  const folds = stratifiedFolds(labels, 5, 42);
  const { train, test } = foldSplit(folds, 0);
  const pick = <T>(values: ArrayLike<T>, rows: Uint32Array) => Array.from(rows, (r) => values[r] as T);
  const columns: ColumnarData = {};
  for (const [name, values] of Object.entries(input.columns ?? {})) columns[name] = pick(values, train);
  const bundle = await trainModel({ ...input, columns, labels: Uint8Array.from(train, (r) => labels[r] as number) });
  const scorer = await loadScorer(bundle);
  const records = Array.from(test, (r) =>
    Object.fromEntries(input.features.map((f) => [f.name, (input.columns?.[f.name]?.[r] ?? null) as number | string | null])),
  );
  const x = scorer.encode(records);
  const ort = await scorer.rawProbabilities(x);
  const ensemble = readOnnx(bundle.onnx).ensemble;
  if (!ensemble) throw new Error('our own ONNX file did not read back as a tree ensemble');
  const margins = predictMargins(ensemble, x);
  let maxDp = 0;
  for (let i = 0; i < margins.length; i++)
    maxDp = Math.max(maxDp, Math.abs((ort[i] as number) - 1 / (1 + Math.exp(-(margins[i] as number)))));
  ctx.record({
    name: `max |Δp| TypeScript vs ONNX Runtime (${margins.length} held-out rows)`,
    value: maxDp.toExponential(2),
    target: '≤ 1e-5',
    pass: maxDp <= 1e-5,
  });
  const n = ctx.quick ? 1000 : records.length;
  const started = performance.now();
  const explanations = await scorer.explain(records.slice(0, n));
  const perRow = (performance.now() - started) / n;
  let maxErr = 0;
  for (const e of explanations)
    maxErr = Math.max(maxErr, Math.abs(e.baseValue + e.contributions.reduce((s, c) => s + c.contribution, 0) - e.margin));
  ctx.record({ name: `max |base + ΣSHAP − margin| (${n} rows)`, value: maxErr.toExponential(2), target: '≤ 1e-6', pass: maxErr <= 1e-6 });
  ctx.record({ name: 'TreeSHAP time per row', value: Number(perRow.toFixed(3)), unit: 'ms' });
}

function scale(ctx: BenchContext): void {
  const rows = ctx.quick ? 200_000 : 1_000_000;
  const worker = fileURLToPath(new URL('./ml-scale.worker.ts', import.meta.url));
  ctx.log(`scale: ${rows.toLocaleString('en')} rows × 50 features (synthetic), in a child process`);
  const run = spawnSync(process.execPath, [worker, String(rows), '50'], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`scale worker exited ${run.status}`);
  const r = JSON.parse(run.stdout.trim().split('\n').pop() as string) as {
    params: { rowSubsample: number; colSubsample: number; maxLeaves: number; learningRate: number };
    trainCpuSeconds: number;
    matrixRowsPerCpuSecond: number;
    trainSeconds: number;
    trees: number;
    peakRssMb: number;
    matrixRowsPerSecond: number;
    recordRowsPerSecond: number;
    auc: number;
  };
  const full = !ctx.quick;
  const p = r.params;
  ctx.log(
    `  params: ${r.trees} trees, ${p.maxLeaves} leaves, learning rate ${p.learningRate}, row subsample ${p.rowSubsample}, column subsample ${p.colSubsample}`,
  );
  ctx.record({
    name: `train ${rows} rows (${r.trees} trees)`,
    value: Number(r.trainSeconds.toFixed(1)),
    unit: 's',
    ...(full ? { target: '≤ 60 s', pass: r.trainSeconds <= 60 } : {}),
  });
  ctx.record({
    name: 'train CPU time (user; the wall time above includes waiting for a shared CPU)',
    value: Number(r.trainCpuSeconds.toFixed(1)),
    unit: 's',
  });
  ctx.record({
    name: 'peak RSS (whole child process)',
    value: Math.round(r.peakRssMb),
    unit: 'MB',
    ...(full ? { target: '≤ 2048 MB', pass: r.peakRssMb <= 2048 } : {}),
  });
  ctx.record({
    name: 'batch inference, encoded matrix via ONNX Runtime (best of 3)',
    value: Math.round(r.matrixRowsPerSecond),
    unit: 'rows/s',
    target: '≥ 200,000',
    pass: r.matrixRowsPerSecond >= 200_000,
  });
  ctx.record({
    name: 'batch inference via ONNX Runtime per CPU-second (user time)',
    value: Math.round(r.matrixRowsPerCpuSecond),
    unit: 'rows/s',
  });
  ctx.record({
    name: 'batch inference from record objects (encode + ORT + calibration)',
    value: Math.round(r.recordRowsPerSecond),
    unit: 'rows/s',
  });
  ctx.record({ name: 'synthetic hold-out AUC (sanity)', value: Number(r.auc.toFixed(4)) });
}

export const section: BenchSection = {
  name: 'ml',
  description: 'gradient-boosted trees: accuracy vs scikit-learn/XGBoost, calibration, ONNX parity, TreeSHAP, scale',
  async run(ctx) {
    if (!existsSync(BANK)) ctx.log(`  ${BANK} not found: bank-full parts skipped`);
    else {
      const input = bankInput();
      await accuracy(ctx, input);
      await parity(ctx, input);
    }
    scale(ctx);
  },
};
