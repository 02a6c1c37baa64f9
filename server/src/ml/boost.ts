import { type BinMapper, FLOAT32_MAX } from './binning.ts';
import { type GrowContext, type GrownTree, growTree } from './grow.ts';
import { HistogramPool } from './histogram.ts';
import { createRng } from './rng.ts';
import type { Ensemble, Tree } from './tree.ts';
import type { GbdtParams } from './types.ts';

export interface BoostInput {
  bins: Uint8Array;
  F: number;
  mapper: BinMapper;
  labels: ArrayLike<number>;
  trainRows: Uint32Array;
  /** Early stopping watches the log loss of these rows (may be empty: then all iterations run). */
  validRows: Uint32Array;
  params: GbdtParams;
  monotone: Int8Array;
  seed: number;
  onIteration?: (iteration: number, validLoss: number) => void;
}

export interface BoostResult {
  ensemble: Ensemble;
  /** Total split gain and split count per feature. */
  gain: Float64Array;
  splits: Float64Array;
  /** Margins of the validation rows at the kept iteration count. */
  validMargins: Float64Array;
  iterations: number;
}

function toTree(grown: GrownTree, mapper: BinMapper): Tree {
  const n = grown.feature.length;
  const threshold = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const f = grown.feature[i] as number;
    if (f < 0) continue;
    const cuts = mapper.thresholds[f] as Float32Array;
    const b = grown.bin[i] as number;
    threshold[i] = b - 1 < cuts.length ? (cuts[b - 1] as number) : FLOAT32_MAX;
  }
  return {
    feature: Int32Array.from(grown.feature),
    threshold,
    missingLeft: Uint8Array.from(grown.missingLeft),
    left: Int32Array.from(grown.left),
    right: Int32Array.from(grown.right),
    value: Float64Array.from(grown.value),
    cover: Float64Array.from(grown.cover),
  };
}

function logLossAt(margins: Float64Array, labels: ArrayLike<number>, rows: Uint32Array): number {
  let sum = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k] as number;
    const m = margins[r] as number;
    // log(1 + e^-m) for y=1, log(1 + e^m) for y=0, computed stably.
    const z = (labels[r] as number) === 1 ? -m : m;
    sum += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }
  return rows.length > 0 ? sum / rows.length : 0;
}

function transposeBins(bins: Uint8Array, n: number, F: number): Uint8Array {
  const out = new Uint8Array(n * F);
  for (let f = 0; f < F; f++) {
    const col = f * n;
    for (let r = 0; r < n; r++) out[r * F + f] = bins[col + r] as number;
  }
  return out;
}

/** The log-odds of the training rows' positive rate, as float32 (what the ONNX model stores). */
function baseScoreOf(labels: ArrayLike<number>, trainRows: Uint32Array): number {
  let positives = 0;
  for (const r of trainRows) positives += labels[r] as number;
  const prior = Math.min(Math.max(positives / Math.max(trainRows.length, 1), 1e-6), 1 - 1e-6);
  return Math.fround(Math.log(prior / (1 - prior)));
}

/** Everything growTree reads, allocated once for all iterations. */
function createGrowContext(input: BoostInput, n: number, total: number, grad: Float32Array, hess: Float32Array): GrowContext {
  const { bins, F, mapper, params } = input;
  const offsets = new Int32Array(F);
  let totalBins = 0;
  for (let f = 0; f < F; f++) {
    offsets[f] = totalBins;
    totalBins += (mapper.nBins[f] as number) + 1;
  }
  return {
    F,
    binsByRow: transposeBins(bins, n, F),
    offsets,
    nBins: mapper.nBins,
    l2: params.l2,
    minSamplesLeaf: params.minSamplesLeaf,
    minHessianLeaf: params.minHessianLeaf,
    monotone: input.monotone,
    hasMonotone: input.monotone.some((m) => m !== 0),
    bins,
    grad,
    hess,
    pool: new HistogramPool(totalBins * 2),
    maxLeaves: params.maxLeaves,
    maxDepth: params.maxDepth,
    learningRate: params.learningRate,
    n,
    scratch: new Uint32Array(total),
    gOrd: new Float32Array(input.trainRows.length),
    hOrd: new Float32Array(input.trainRows.length),
  };
}

/**
 * Fills `idx` as [rows the tree is grown on | other training rows and validation rows] and returns how
 * many rows the tree is grown on. Bernoulli bagging keeps rows in order (cache-friendly, no sort).
 */
function sampleRows(idx: Uint32Array, input: BoostInput, rng: () => number): number {
  const { trainRows, validRows, params } = input;
  let count = 0;
  let back = idx.length;
  if (params.rowSubsample < 1) {
    for (const r of trainRows) {
      if (rng() < params.rowSubsample) idx[count++] = r;
      else idx[--back] = r;
    }
    if (count === 0) idx[count++] = idx[back++] as number;
  } else {
    idx.set(trainRows);
    count = trainRows.length;
  }
  for (const r of validRows) idx[--back] = r;
  return count;
}

/** Log-loss gradients and hessians of the sampled rows at the current margins. */
function computeGradients(
  idx: Uint32Array,
  count: number,
  margins: Float64Array,
  labels: ArrayLike<number>,
  grad: Float32Array,
  hess: Float32Array,
) {
  for (let k = 0; k < count; k++) {
    const r = idx[k] as number;
    const p = 1 / (1 + Math.exp(-(margins[r] as number)));
    grad[r] = p - (labels[r] as number);
    hess[r] = Math.max(p * (1 - p), 1e-16);
  }
}

/** A sorted random subset of `nCols` features (partial Fisher–Yates), or all of them. */
function sampleColumns(allFeatures: Int32Array, nCols: number, rng: () => number): Int32Array {
  const F = allFeatures.length;
  if (nCols >= F) return allFeatures;
  const order = Uint32Array.from(allFeatures);
  for (let i = 0; i < nCols; i++) {
    const j = i + Math.floor(rng() * (F - i));
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return Int32Array.from(order.subarray(0, nCols)).sort();
}

/** Adds each leaf's value to the margins of every row routed to it (grown-on rows and the others). */
function applyTree(tree: GrownTree, idx: Uint32Array, margins: Float64Array) {
  for (const leaf of tree.leaves) {
    const v = tree.value[leaf.node] as number;
    for (let k = leaf.start; k < leaf.end; k++) margins[idx[k] as number] = (margins[idx[k] as number] as number) + v;
    for (let k = leaf.xStart; k < leaf.xEnd; k++) margins[idx[k] as number] = (margins[idx[k] as number] as number) + v;
  }
}

/** Total split gain and split count per feature over the kept trees. */
function featureImportance(kept: GrownTree[], F: number): { gain: Float64Array; splits: Float64Array } {
  const gain = new Float64Array(F);
  const splits = new Float64Array(F);
  for (const tree of kept) {
    tree.feature.forEach((f, i) => {
      if (f < 0) return;
      gain[f] = (gain[f] as number) + (tree.gain[i] as number);
      splits[f] = (splits[f] as number) + 1;
    });
  }
  return { gain, splits };
}

/**
 * Early stopping on the validation log loss: remembers the best iteration and the validation margins
 * from then on (history[0] is the margins at the best iteration).
 */
function createEarlyStopping(input: BoostInput, margins: Float64Array) {
  const { labels, validRows, params } = input;
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestIteration = -1;
  const history: Float64Array[] = [];
  return {
    /** Records iteration `it`; true when training should stop. */
    observe(it: number): boolean {
      if (validRows.length === 0) {
        bestIteration = it;
        input.onIteration?.(it, Number.NaN);
        return false;
      }
      const loss = logLossAt(margins, labels, validRows);
      input.onIteration?.(it, loss);
      if (loss < bestLoss - 1e-7) {
        bestLoss = loss;
        bestIteration = it;
        history.length = 0;
      }
      history.push(Float64Array.from(validRows, (r) => margins[r] as number));
      return params.earlyStoppingRounds > 0 && it - bestIteration >= params.earlyStoppingRounds;
    },
    get bestIteration() {
      return bestIteration;
    },
    bestValidMargins(): Float64Array {
      return history[0] ?? Float64Array.from(validRows, (r) => margins[r] as number);
    },
  };
}

export function boost(input: BoostInput): BoostResult {
  const { bins, F, mapper, trainRows, validRows, params } = input;
  const rng = createRng(input.seed);
  const baseScore = baseScoreOf(input.labels, trainRows);
  const n = bins.length / Math.max(F, 1);
  const margins = new Float64Array(n).fill(baseScore);
  // float32 gradients, as LightGBM keeps them: half the memory traffic in the histogram loops; sums stay float64.
  const grad = new Float32Array(n);
  const hess = new Float32Array(n);
  const total = trainRows.length + validRows.length;
  const idx = new Uint32Array(total);
  const ctx = createGrowContext(input, n, total, grad, hess);
  const allFeatures = Int32Array.from({ length: F }, (_, f) => f);
  const nCols = Math.max(1, Math.round(params.colSubsample * F));
  const stopping = createEarlyStopping(input, margins);
  const grownTrees: GrownTree[] = [];
  for (let it = 0; it < params.maxIterations; it++) {
    const count = sampleRows(idx, input, rng);
    computeGradients(idx, count, margins, input.labels, grad, hess);
    const tree = growTree(ctx, idx, count, total, sampleColumns(allFeatures, nCols, rng));
    grownTrees.push(tree);
    applyTree(tree, idx, margins);
    if (stopping.observe(it)) break;
    if (tree.feature.length === 1 && it > 0) break; // nothing left to learn
  }
  const kept = grownTrees.slice(0, stopping.bestIteration + 1);
  return {
    ensemble: { trees: kept.map((t) => toTree(t, mapper)), baseScore, nFeatures: F },
    ...featureImportance(kept, F),
    validMargins: stopping.bestValidMargins(),
    iterations: kept.length,
  };
}
