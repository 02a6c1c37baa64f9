// Child process of the ML bench's scale part: synthetic rows × features, train, then batch inference.
// Prints one JSON line; peak RSS is this process's own (maxRSS).
import { createRng } from '../../src/ml/rng.ts';
import { loadScorer } from '../../src/ml/scorer.ts';
import { trainModel } from '../../src/ml/train.ts';
import type { ColumnarData, FeatureDef, FeatureValue } from '../../src/ml/types.ts';

const n = Number(process.argv[2] ?? 1_000_000);
const F = Number(process.argv[3] ?? 50);
const nCategorical = Math.floor(F / 5);
const rng = createRng(7);
const gauss = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());

const features: FeatureDef[] = [];
const columns: ColumnarData = {};
const margin = new Float64Array(n).fill(-1.5);
const levels = Array.from({ length: 30 }, (_, i) => `level_${i}`);
const levelEffect = Float64Array.from(levels, () => gauss() * 0.5);
for (let f = 0; f < F; f++) {
  const name = `f${f}`;
  if (f < nCategorical) {
    const column = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const k = Math.floor(rng() ** 2 * levels.length);
      column[i] = rng() < 0.03 ? null : (levels[k] as string);
      if (f < 3 && column[i] !== null) margin[i] = (margin[i] as number) + (levelEffect[k] as number);
    }
    features.push({ name, type: 'categorical' });
    columns[name] = column;
  } else {
    const column = new Float32Array(n);
    const weight = f < nCategorical + 15 ? gauss() * 0.4 : 0;
    for (let i = 0; i < n; i++) {
      const v = gauss();
      column[i] = rng() < 0.05 ? Number.NaN : v;
      if (!Number.isNaN(column[i] as number))
        margin[i] = (margin[i] as number) + weight * v + (f === nCategorical ? 0.5 * Math.max(0, v) ** 2 : 0);
    }
    features.push({ name, type: 'numeric' });
    columns[name] = column;
  }
}
const labels = new Uint8Array(n);
for (let i = 0; i < n; i++) labels[i] = rng() < 1 / (1 + Math.exp(-(margin[i] as number))) ? 1 : 0;

const started = performance.now();
const cpu0 = process.cpuUsage();
const bundle = await trainModel({
  features,
  columns,
  labels,
  seed: 1,
  params: { maxIterations: Number(process.argv[4] ?? 100), rowSubsample: Number(process.argv[5] ?? 0.5) },
  candidates: ['gbdt'], // the trees' scale is what this measures
});
const trainSeconds = (performance.now() - started) / 1000;
const trainCpuSeconds = process.cpuUsage(cpu0).user / 1e6;

const scorer = await loadScorer(bundle);
const batch = Math.min(n, 200_000);
const records: Record<string, FeatureValue>[] = [];
for (let i = 0; i < batch; i++) {
  const record: Record<string, FeatureValue> = {};
  for (const feature of features) record[feature.name] = (columns[feature.name]?.[i] ?? null) as FeatureValue;
  records.push(record);
}
const x = scorer.encode(records);
await scorer.rawProbabilities(x.subarray(0, 1000 * F)); // warm-up
// Best of three runs (the usual way to read through noise from other processes on a shared machine),
// and per CPU-second too: wall time includes waiting for a core.
let matrixRowsPerSecond = 0;
let matrixRowsPerCpuSecond = 0;
let recordRowsPerSecond = 0;
for (let run = 0; run < 3; run++) {
  let t = performance.now();
  const cpu1 = process.cpuUsage();
  await scorer.rawProbabilities(x);
  matrixRowsPerSecond = Math.max(matrixRowsPerSecond, batch / ((performance.now() - t) / 1000));
  matrixRowsPerCpuSecond = Math.max(matrixRowsPerCpuSecond, batch / (process.cpuUsage(cpu1).user / 1e6));
  t = performance.now();
  await scorer.predict(records);
  recordRowsPerSecond = Math.max(recordRowsPerSecond, batch / ((performance.now() - t) / 1000));
}
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ params: bundle.card.params, trainSeconds, trainCpuSeconds, trees: bundle.card.iterations, peakRssMb, matrixRowsPerSecond, matrixRowsPerCpuSecond, recordRowsPerSecond, auc: bundle.card.holdout.auc })}\n`,
);
