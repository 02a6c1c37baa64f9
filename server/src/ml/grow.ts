import { buildHistogram, type HistogramPool, subtractHistogram } from './histogram.ts';
import { findBestSplit, leafWeight, type NodeStats, type SplitCandidate, type SplitContext } from './split.ts';

/** A tree as grown on bins; `toTree` in boost.ts turns bin thresholds into float32 thresholds. */
export interface GrownTree {
  feature: number[];
  bin: number[];
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
  gain: number[];
  /**
   * Leaves as segments of the row index array: the rows the tree was grown on, and the other rows
   * (out-of-bag and validation) that were routed along, so no row needs a tree traversal afterwards.
   */
  leaves: { node: number; start: number; end: number; xStart: number; xEnd: number }[];
}

export interface GrowContext extends SplitContext {
  bins: Uint8Array;
  /** The same bins row-major (row r's features at r·F): cheap per-row access for small nodes and traversal. */
  binsByRow: Uint8Array;
  grad: Float32Array;
  hess: Float32Array;
  pool: HistogramPool;
  maxLeaves: number;
  maxDepth: number;
  learningRate: number;
  /** Rows in the bin matrix (its column stride). */
  n: number;
  /** Scratch space at least as long as the largest row set. */
  scratch: Uint32Array;
  gOrd: Float32Array;
  hOrd: Float32Array;
}

interface OpenLeaf extends NodeStats {
  node: number;
  start: number;
  end: number;
  xStart: number;
  xEnd: number;
  depth: number;
  hist: Float64Array | null;
  best: SplitCandidate | null;
}

function newNode(tree: GrownTree, cover: number): number {
  tree.feature.push(-1);
  tree.bin.push(0);
  tree.missingLeft.push(0);
  tree.left.push(-1);
  tree.right.push(-1);
  tree.value.push(0);
  tree.cover.push(cover);
  tree.gain.push(0);
  return tree.feature.length - 1;
}

/** Stable in-place partition of idx[start, end) by a split (a sequential scan of one bin column). */
function partition(ctx: GrowContext, idx: Uint32Array, start: number, end: number, split: SplitCandidate): number {
  const { bins, scratch } = ctx;
  const col = split.feature * ctx.n;
  const threshold = split.bin;
  const missingLeft = split.missingLeft;
  let l = start;
  let rc = 0;
  for (let k = start; k < end; k++) {
    const r = idx[k] as number;
    const b = bins[col + r] as number;
    if (b === 0 ? missingLeft : b <= threshold) idx[l++] = r;
    else scratch[rc++] = r;
  }
  idx.set(scratch.subarray(0, rc), l);
  return l;
}

function evaluate(ctx: GrowContext, leaf: OpenLeaf, active: Int32Array): void {
  const canSplit = leaf.C >= 2 * ctx.minSamplesLeaf && (ctx.maxDepth === 0 || leaf.depth < ctx.maxDepth);
  leaf.best = canSplit && leaf.hist ? findBestSplit(ctx, leaf.hist, leaf, active) : null;
  if (!leaf.best && leaf.hist) {
    ctx.pool.give(leaf.hist);
    leaf.hist = null;
  }
}

function emptyTree(): GrownTree {
  return { feature: [], bin: [], missingLeft: [], left: [], right: [], value: [], cover: [], gain: [], leaves: [] };
}

function histogramOf(ctx: GrowContext, hist: Float64Array, idx: Uint32Array, start: number, end: number, active: Int32Array): void {
  buildHistogram(hist, ctx.bins, ctx.binsByRow, ctx.n, ctx.offsets, active, ctx.grad, ctx.hess, idx, start, end, ctx.gOrd, ctx.hOrd);
}

/** The root: every grown-on row, its gradient sums and histogram, and its best split. */
function openRoot(ctx: GrowContext, tree: GrownTree, idx: Uint32Array, count: number, total: number, active: Int32Array): OpenLeaf {
  const rootHist = ctx.pool.take();
  histogramOf(ctx, rootHist, idx, 0, count, active);
  let G = 0;
  let H = 0;
  for (let k = 0; k < count; k++) {
    const r = idx[k] as number;
    G += ctx.grad[r] as number;
    H += ctx.hess[r] as number;
  }
  const root: OpenLeaf = {
    node: newNode(tree, count),
    start: 0,
    end: count,
    xStart: count,
    xEnd: total,
    depth: 0,
    G,
    H,
    C: count,
    lo: -Infinity,
    hi: Infinity,
    hist: rootHist,
    best: null,
  };
  evaluate(ctx, root, active);
  return root;
}

/** The open leaf with the largest positive split gain, or -1 when no split gains anything. */
function pickLeaf(open: OpenLeaf[]): number {
  let pick = -1;
  let bestGain = 0;
  for (let i = 0; i < open.length; i++) {
    const best = (open[i] as OpenLeaf).best;
    if (best && best.gain > bestGain) {
      bestGain = best.gain;
      pick = i;
    }
  }
  return pick;
}

/** The children's sums; under a monotone constraint they stay on their side of the midpoint, so deeper splits cannot reverse the order. */
function childStats(ctx: GrowContext, leaf: OpenLeaf, split: SplitCandidate, lC: number, rC: number): [NodeStats, NodeStats] {
  const leftStats: NodeStats = { G: split.leftG, H: split.leftH, C: lC, lo: leaf.lo, hi: leaf.hi };
  const rightStats: NodeStats = { G: leaf.G - split.leftG, H: leaf.H - split.leftH, C: rC, lo: leaf.lo, hi: leaf.hi };
  const mono = ctx.monotone[split.feature] as number;
  if (mono !== 0) {
    const wl = leafWeight(leftStats.G, leftStats.H, ctx.l2, leaf.lo, leaf.hi);
    const wr = leafWeight(rightStats.G, rightStats.H, ctx.l2, leaf.lo, leaf.hi);
    const m = (wl + wr) / 2;
    if (mono > 0) {
      leftStats.hi = Math.min(leftStats.hi, m);
      rightStats.lo = Math.max(rightStats.lo, m);
    } else {
      leftStats.lo = Math.max(leftStats.lo, m);
      rightStats.hi = Math.min(rightStats.hi, m);
    }
  }
  return [leftStats, rightStats];
}

/** Splits `leaf` in the tree and the row index; returns its two children with their histograms. */
function splitLeaf(ctx: GrowContext, tree: GrownTree, idx: Uint32Array, leaf: OpenLeaf, active: Int32Array): [OpenLeaf, OpenLeaf] {
  const split = leaf.best as SplitCandidate;
  const mid = partition(ctx, idx, leaf.start, leaf.end, split);
  const xMid = partition(ctx, idx, leaf.xStart, leaf.xEnd, split);
  // Exact counts from the partition (the split search only estimated them).
  const lC = mid - leaf.start;
  const rC = leaf.end - mid;
  const [leftStats, rightStats] = childStats(ctx, leaf, split, lC, rC);
  const n = leaf.node;
  tree.feature[n] = split.feature;
  tree.bin[n] = split.bin;
  tree.missingLeft[n] = split.missingLeft ? 1 : 0;
  tree.gain[n] = split.gain;
  const leftNode = newNode(tree, lC);
  const rightNode = newNode(tree, rC);
  tree.left[n] = leftNode;
  tree.right[n] = rightNode;
  const depth = leaf.depth + 1;
  const left: OpenLeaf = {
    ...leftStats,
    node: leftNode,
    start: leaf.start,
    end: mid,
    xStart: leaf.xStart,
    xEnd: xMid,
    depth,
    hist: null,
    best: null,
  };
  const right: OpenLeaf = {
    ...rightStats,
    node: rightNode,
    start: mid,
    end: leaf.end,
    xStart: xMid,
    xEnd: leaf.xEnd,
    depth,
    hist: null,
    best: null,
  };
  // Build the smaller child's histogram from its rows; the larger one is parent minus smaller.
  const small = lC <= rC ? left : right;
  const large = lC <= rC ? right : left;
  const parentHist = leaf.hist as Float64Array;
  const childHist = ctx.pool.take();
  histogramOf(ctx, childHist, idx, small.start, small.end, active);
  subtractHistogram(parentHist, childHist);
  small.hist = childHist;
  large.hist = parentHist;
  leaf.hist = null;
  return [left, right];
}

/** Turns the open leaves into the tree's leaves: float32 values (what the ONNX file stores, so both predictions add the same numbers). */
function closeLeaves(ctx: GrowContext, tree: GrownTree, open: OpenLeaf[]): void {
  for (const leaf of open) {
    if (leaf.hist) ctx.pool.give(leaf.hist);
    const w = leafWeight(leaf.G, leaf.H, ctx.l2, leaf.lo, leaf.hi);
    tree.value[leaf.node] = Math.fround(w * ctx.learningRate);
    tree.leaves.push({ node: leaf.node, start: leaf.start, end: leaf.end, xStart: leaf.xStart, xEnd: leaf.xEnd });
  }
}

/** Leaf-wise growth: always split the open leaf with the largest gain, up to maxLeaves. */
export function growTree(ctx: GrowContext, idx: Uint32Array, count: number, total: number, active: Int32Array): GrownTree {
  const tree = emptyTree();
  const open: OpenLeaf[] = [openRoot(ctx, tree, idx, count, total, active)];
  let nLeaves = 1;
  while (nLeaves < ctx.maxLeaves) {
    const pick = pickLeaf(open);
    if (pick < 0) break;
    const [left, right] = splitLeaf(ctx, tree, idx, open[pick] as OpenLeaf, active);
    open.splice(pick, 1, left, right);
    nLeaves++;
    if (nLeaves < ctx.maxLeaves) {
      evaluate(ctx, left, active);
      evaluate(ctx, right, active);
    }
  }
  closeLeaves(ctx, tree, open);
  return tree;
}
