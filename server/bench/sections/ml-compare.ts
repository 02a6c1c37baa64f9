// Our engine against scikit-learn HistGradientBoosting, XGBoost and LogisticRegression on the same folds: our
// CV's fold assignment and the data exactly as our engine read it go to a temp folder, the Python reference
// (ml-reference.py) trains on those rows. Ours runs first, then theirs: never side by side on the shared CPUs.
// Fit times compare one thread with one thread (our engine is single-threaded; see runReferences).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CsvDataset } from '../../src/ml/csv/dataset.ts';
import { type CrossValidationResult, crossValidate } from '../../src/ml/evaluate.ts';
import { stratifiedFolds } from '../../src/ml/split-data.ts';
import type { TrainInput } from '../../src/ml/types.ts';
import type { BenchContext } from '../section.ts';
import type { BenchDataset } from './ml-datasets.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./ml-reference.py', import.meta.url));
export const NOT_INSTALLED = 'not measured: scikit-learn not installed (apt-get install python3-sklearn python3-xgboost)';
const SEED = 42;
/** What the acceptance line allows: our AUC may fall this far below the best reference. */
const AUC_TOLERANCE = 0.001;
const MAX_FIT_RATIO = 1.0;

type ReferenceName = 'hgb' | 'xgboost' | 'logistic';
interface ReferenceResult {
  auc: number;
  aucStd: number;
  aucFolds: number[];
  fitSeconds: number;
  fitCpuSeconds: number;
}

const imports = (module: string) => spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8', timeout: 60_000 }).status === 0;

/** Which reference models this machine can run: none without scikit-learn, no XGBoost without its package. */
export function availableReferences(): { models: ReferenceName[]; note: string | null } {
  if (!existsSync(PYTHON) || !imports('sklearn, numpy')) return { models: [], note: NOT_INSTALLED };
  if (!imports('xgboost')) return { models: ['hgb', 'logistic'], note: 'XGBoost not measured: python3-xgboost not installed' };
  return { models: ['hgb', 'xgboost', 'logistic'], note: null };
}

const csvCell = (value: unknown): string => {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The label and every feature as our engine read them (numbers parsed, dates as days), one row per data row. */
function engineInputCsv(dataset: CsvDataset): string {
  const names = dataset.features.map((f) => f.name);
  const columns = names.map((name) => dataset.columns[name] as ArrayLike<unknown>);
  const lines = [['label', ...names].map(csvCell).join(',')];
  for (let r = 0; r < dataset.labels.length; r++) lines.push([dataset.labels[r], ...columns.map((c) => c[r])].map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

/** Writes the data as our engine read it and our fold assignment into `dir`, for every reference run. */
function exportInput(dir: string, dataset: CsvDataset, folds: Uint8Array): { data: string; folds: string; categorical: string[] } {
  const files = { data: join(dir, 'data.csv'), folds: join(dir, 'folds.txt') };
  writeFileSync(files.data, engineInputCsv(dataset));
  writeFileSync(files.folds, `${Array.from(folds).join('\n')}\n`);
  return { ...files, categorical: dataset.features.filter((f) => f.type === 'categorical').map((f) => f.name) };
}

type References = Partial<Record<ReferenceName, ReferenceResult>>;

/**
 * One run of the Python references. threads 1: OpenMP and BLAS pinned to one thread before Python starts (our
 * engine fits on one thread); null: each library's default (all cores), which on a loaded shared machine spins
 * in OpenMP barriers and is many times slower than one thread.
 */
function runReferences(dir: string, exported: ReturnType<typeof exportInput>, models: ReferenceName[], threads: 1 | null): References {
  const manifest = join(dir, `manifest-${threads ?? 'default'}.json`);
  writeFileSync(manifest, JSON.stringify({ ...exported, models, threads }));
  const pinned = threads === 1 ? { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } : {};
  const run = spawnSync(PYTHON, [SCRIPT, manifest], {
    encoding: 'utf8',
    maxBuffer: 1 << 22,
    timeout: 20 * 60_000,
    env: { ...process.env, ...pinned },
  });
  if (run.status !== 0)
    throw new Error(`reference run failed (exit ${run.status}): ${(run.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as References;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const load = () => round(loadavg()[0] as number, 2);

export interface Comparison {
  line: Record<string, unknown>;
  selected: CrossValidationResult;
}

/** Runs ours (selection, then trees only) and the references on one dataset; logs and returns the JSON line. */
export function compareOnDataset(ctx: BenchContext, bench: BenchDataset, folds = 5): Comparison {
  const { dataset } = bench;
  const models = availableReferences();
  const input: TrainInput = { features: dataset.features, columns: dataset.columns, labels: dataset.labels, seed: SEED };
  const assignment = stratifiedFolds(dataset.labels, folds, SEED);
  const loadBefore = load();
  // As a user runs it (default candidates: trees and logistic regression, the better on validation kept) ...
  const selected = crossValidate(input, folds, undefined, assignment);
  // ... and the trees alone, to time trees against trees.
  const trees = crossValidate({ ...input, candidates: ['gbdt'] }, folds, undefined, assignment);
  const dir = mkdtempSync(join(tmpdir(), 'closewise-bench-ml-'));
  let references: References = {};
  let defaultThreads: References = {};
  try {
    if (models.models.length > 0) {
      const exported = exportInput(dir, dataset, assignment);
      references = runReferences(dir, exported, models.models, 1);
      defaultThreads = runReferences(dir, exported, ['hgb'], null);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const measured = (Object.entries(references) as [ReferenceName, ReferenceResult][]).filter(([, r]) => r);
  const best = measured.reduce<[ReferenceName, ReferenceResult] | null>((b, r) => (!b || r[1].auc > b[1].auc ? r : b), null);
  const hgb = references.hgb;
  const aucGap = best ? selected.auc.mean - best[1].auc : null;
  const fitRatio = hgb ? selected.fitSeconds.mean / hgb.fitSeconds : null;
  const line = {
    section: 'ml',
    dataset: bench.name,
    rows: dataset.labels.length,
    positives: dataset.labels.reduce((a, b) => a + b, 0),
    features: dataset.features.length,
    folds,
    ours: {
      auc: round(selected.auc.mean, 4),
      aucTreesOnly: round(trees.auc.mean, 4),
      fitSeconds: round(selected.fitSeconds.mean, 3),
      fitSecondsTreesOnly: round(trees.fitSeconds.mean, 3),
      fitCpuSeconds: round(selected.fitCpuSeconds.mean, 3),
      fitCpuSecondsTreesOnly: round(trees.fitCpuSeconds.mean, 3),
      chosen: selected.folds.map((f) => f.chosen),
      aucFolds: selected.auc.folds.map((a) => round(a, 4)),
      aucFoldsTreesOnly: trees.auc.folds.map((a) => round(a, 4)),
    },
    references:
      models.models.length === 0
        ? null
        : Object.fromEntries(
            models.models.map((name) => {
              const r = references[name];
              return [
                name,
                r
                  ? {
                      auc: round(r.auc, 4),
                      fitSeconds: round(r.fitSeconds, 3),
                      fitCpuSeconds: round(r.fitCpuSeconds, 3),
                      aucFolds: r.aucFolds.map((a) => round(a, 4)),
                    }
                  : null,
              ];
            }),
          ),
    // HistGradientBoosting again with OpenMP's default threads (2 cores here), for reference: not the target.
    hgbDefaultThreads: defaultThreads.hgb
      ? {
          auc: round(defaultThreads.hgb.auc, 4),
          fitSeconds: round(defaultThreads.hgb.fitSeconds, 3),
          fitCpuSeconds: round(defaultThreads.hgb.fitCpuSeconds, 3),
        }
      : null,
    threads: { ours: 1, references: 1 },
    ...(models.note ? { note: models.note } : {}),
    bestReference: best ? best[0] : null,
    aucGap: aucGap === null ? null : round(aucGap, 4),
    aucGapTreesOnly: best ? round(trees.auc.mean - best[1].auc, 4) : null,
    fitTimeRatioVsHgb: fitRatio === null ? null : round(fitRatio, 2),
    fitTimeRatioTreesOnlyVsHgb: hgb ? round(trees.fitSeconds.mean / hgb.fitSeconds, 2) : null,
    fitCpuRatioVsHgb: hgb ? round(selected.fitCpuSeconds.mean / hgb.fitCpuSeconds, 2) : null,
    fitCpuRatioTreesOnlyVsHgb: hgb ? round(trees.fitCpuSeconds.mean / hgb.fitCpuSeconds, 2) : null,
    fitTimeRatioVsHgbDefaultThreads: defaultThreads.hgb ? round(selected.fitSeconds.mean / defaultThreads.hgb.fitSeconds, 2) : null,
    targets: {
      auc: { target: `≥ best reference − ${AUC_TOLERANCE}`, met: aucGap === null ? null : aucGap >= -AUC_TOLERANCE - 1e-12 },
      fitTime: {
        target: `≤ ${MAX_FIT_RATIO.toFixed(1)}× HistGradientBoosting (one thread each)`,
        met: fitRatio === null ? null : fitRatio <= MAX_FIT_RATIO,
      },
    },
    // One-minute load average of the shared machine (2 cores) before ours and after theirs: wall times under load.
    load1: { before: loadBefore, after: load() },
  };
  ctx.log(JSON.stringify(line));
  if (models.note) ctx.log(`  ${models.note}`);
  if (aucGap !== null && best)
    ctx.record({
      name: `${bench.name} CV AUC (selected model) vs best reference (${best[0]} ${best[1].auc.toFixed(4)})`,
      value: round(selected.auc.mean, 4),
      target: `≥ ${(best[1].auc - AUC_TOLERANCE).toFixed(4)}`,
      pass: aucGap >= -AUC_TOLERANCE - 1e-12,
    });
  if (fitRatio !== null)
    ctx.record({
      name: `${bench.name} fit time ratio vs HistGradientBoosting, one thread each (ours with selection)`,
      value: round(fitRatio, 2),
      unit: '×',
      target: `≤ ${MAX_FIT_RATIO.toFixed(1)}×`,
      pass: fitRatio <= MAX_FIT_RATIO,
    });
  return { line, selected };
}
