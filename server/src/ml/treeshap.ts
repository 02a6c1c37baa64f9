import { goesLeft, type Tree } from './tree.ts';

/**
 * Exact path-dependent TreeSHAP (Lundberg et al. 2020, Algorithm 2): per-feature contributions to one
 * tree's output such that, summed with the tree's cover-weighted mean output, they equal the output.
 * The path of unique features is kept in flat typed arrays, one slice per recursion depth.
 */
export class TreeShap {
  private readonly feature: Int32Array;
  private readonly zero: Float64Array;
  private readonly one: Float64Array;
  private readonly weight: Float64Array;

  constructor(maxDepth: number) {
    const size = ((maxDepth + 2) * (maxDepth + 3)) / 2;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }

  /** Adds the contributions of `tree` for the row at x[offset..] into phi. */
  explainTree(tree: Tree, x: Float32Array, offset: number, phi: Float64Array): void {
    this.recurse(tree, x, offset, phi, 0, 0, 0, 1, 1, -1);
  }

  private extend(base: number, depth: number, zero: number, one: number, feature: number): void {
    const { weight } = this;
    this.feature[base + depth] = feature;
    this.zero[base + depth] = zero;
    this.one[base + depth] = one;
    weight[base + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      weight[base + i + 1] = (weight[base + i + 1] as number) + (one * (weight[base + i] as number) * (i + 1)) / (depth + 1);
      weight[base + i] = (zero * (weight[base + i] as number) * (depth - i)) / (depth + 1);
    }
  }

  private unwind(base: number, depth: number, index: number): void {
    const { weight } = this;
    const one = this.one[base + index] as number;
    const zero = this.zero[base + index] as number;
    let next = weight[base + depth] as number;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = weight[base + i] as number;
        weight[base + i] = (next * (depth + 1)) / ((i + 1) * one);
        next = tmp - ((weight[base + i] as number) * zero * (depth - i)) / (depth + 1);
      } else {
        weight[base + i] = ((weight[base + i] as number) * (depth + 1)) / (zero * (depth - i));
      }
    }
    for (let i = index; i < depth; i++) {
      this.feature[base + i] = this.feature[base + i + 1] as number;
      this.zero[base + i] = this.zero[base + i + 1] as number;
      this.one[base + i] = this.one[base + i + 1] as number;
    }
  }

  private unwoundSum(base: number, depth: number, index: number): number {
    const { weight } = this;
    const one = this.one[base + index] as number;
    const zero = this.zero[base + index] as number;
    let next = weight[base + depth] as number;
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = (next * (depth + 1)) / ((i + 1) * one);
        total += tmp;
        next = (weight[base + i] as number) - tmp * zero * ((depth - i) / (depth + 1));
      } else if (zero !== 0) {
        total += (weight[base + i] as number) / zero / ((depth - i) / (depth + 1));
      }
    }
    return total;
  }

  private recurse(
    tree: Tree,
    x: Float32Array,
    offset: number,
    phi: Float64Array,
    node: number,
    parentBase: number,
    depth: number,
    zero: number,
    one: number,
    parentFeature: number,
  ): void {
    // Copy the parent's path into this depth's slice, then extend it with the edge we came through.
    const base = parentBase + depth;
    // Plain loops: paths are short, and a builtin call per array costs more than the copy.
    for (let i = 0; i < depth; i++) {
      this.feature[base + i] = this.feature[parentBase + i] as number;
      this.zero[base + i] = this.zero[parentBase + i] as number;
      this.one[base + i] = this.one[parentBase + i] as number;
      this.weight[base + i] = this.weight[parentBase + i] as number;
    }
    this.extend(base, depth, zero, one, parentFeature);
    const f = tree.feature[node] as number;
    if (f < 0) {
      const value = tree.value[node] as number;
      for (let i = 1; i <= depth; i++) {
        const w = this.unwoundSum(base, depth, i);
        const pf = this.feature[base + i] as number;
        phi[pf] = (phi[pf] as number) + w * ((this.one[base + i] as number) - (this.zero[base + i] as number)) * value;
      }
      return;
    }
    const v = x[offset + f] as number;
    const left = tree.left[node] as number;
    const right = tree.right[node] as number;
    const hot = goesLeft(tree, node, v) ? left : right;
    const cold = hot === left ? right : left;
    const cover = tree.cover[node] as number;
    const hotZero = (tree.cover[hot] as number) / cover;
    const coldZero = (tree.cover[cold] as number) / cover;
    let incomingZero = 1;
    let incomingOne = 1;
    let d = depth;
    let k = 1;
    while (k <= d && this.feature[base + k] !== f) k++;
    if (k <= d) {
      incomingZero = this.zero[base + k] as number;
      incomingOne = this.one[base + k] as number;
      this.unwind(base, d, k);
      d -= 1;
    }
    this.recurse(tree, x, offset, phi, hot, base, d + 1, hotZero * incomingZero, incomingOne, f);
    this.recurse(tree, x, offset, phi, cold, base, d + 1, coldZero * incomingZero, 0, f);
  }
}

export function treeDepth(tree: Tree): number {
  let max = 0;
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [number, number];
    if (depth > max) max = depth;
    if ((tree.feature[node] as number) >= 0) stack.push([tree.left[node] as number, depth + 1], [tree.right[node] as number, depth + 1]);
  }
  return max;
}
