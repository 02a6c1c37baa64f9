// ML engine bench: accuracy and fit time on bank-full and the Maven opportunities against scikit-learn's
// HistGradientBoosting and LogisticRegression and XGBoost (same folds, same run; ml-compare.ts), calibration,
// ONNX parity, TreeSHAP additivity, and scale (in a child process for an honest peak RSS).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readOnnx } from '../../src/ml/onnx-read.ts';
import { loadScorer } from '../../src/ml/scorer.ts';
import { foldSplit, stratifiedFolds } from '../../src/ml/split-data.ts';
import { trainModel } from '../../src/ml/train.ts';
import { predictMargins } from '../../src/ml/tree.ts';
import type { ColumnarData, TrainInput } from '../../src/ml/types.ts';
import type { BenchContext, BenchSection } from '../section.ts';
import { compareOnDataset } from './ml-compare.ts';
import { type BenchDataset, benchDatasets } from './ml-datasets.ts';

/** The trees alone: parity and TreeSHAP check the tree ensemble read back from our own ONNX file. */
function treesInput(bench: BenchDataset): TrainInput {
  const { dataset } = bench;
  return { features: dataset.features, columns: dataset.columns, labels: dataset.labels, seed: 42, candidates: ['gbdt'] };
}

/** Ours vs HistGradientBoosting, XGBoost and LogisticRegression on each dataset, the same folds on both sides. */
function accuracy(ctx: BenchContext, datasets: BenchDataset[]): void {
  for (const bench of datasets) {
    ctx.log(`${bench.name}: ${bench.description}; 5-fold stratified CV (seed 42), fold assignment shared with the references`);
    const { selected } = compareOnDataset(ctx, bench);
    if (bench.name === 'bank-full')
      ctx.record({
        name: 'bank-full CV ECE (selected model)',
        value: Number(selected.ece.toFixed(4)),
        target: '≤ 0.02',
        pass: selected.ece <= 0.02,
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
  description:
    'ML engine: AUC and fit time vs HistGradientBoosting/XGBoost/LogisticRegression (same folds), calibration, ONNX parity, TreeSHAP, scale',
  async run(ctx) {
    const { found, missing } = benchDatasets();
    for (const line of missing) ctx.log(`  ${line}`);
    const datasets = found.map((load) => load());
    accuracy(ctx, datasets);
    const bank = datasets.find((d) => d.name === 'bank-full');
    if (bank) await parity(ctx, treesInput(bank));
    scale(ctx);
  },
};
