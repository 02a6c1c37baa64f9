import { goesLeft, type Tree } from './tree.ts';
import type { TreeShap } from './treeshap.ts';

/**
 * Path-dependent TreeSHAP depends on a row only through which way it goes at each split, so for a small
 * tree every row with the same decisions gets the same contributions. Scoring explains every record of a
 * portal with a few hundred trees of a handful of splits each: remembering the contributions per decision
 * pattern turns the per-row recursion into a few comparisons and a lookup (still exact).
 * Trees with more than MAX_SPLITS splits (foreign models) are explained directly.
 */
const MAX_SPLITS = 10;

interface TreeMemo {
  splits: Int32Array;
  /** Decision pattern → the tree's non-zero contributions as [feature, value, feature, value, …]. */
  patterns: Map<number, Float64Array>;
}

export class MemoizedTreeShap {
  private readonly shap: TreeShap;
  private readonly trees: readonly Tree[];
  private readonly memos: (TreeMemo | null)[];
  private readonly scratch: Float64Array;

  constructor(shap: TreeShap, trees: readonly Tree[], featureCount: number) {
    this.shap = shap;
    this.trees = trees;
    this.scratch = new Float64Array(featureCount);
    this.memos = trees.map((tree) => {
      const splits: number[] = [];
      for (let node = 0; node < tree.feature.length; node++) if ((tree.feature[node] as number) >= 0) splits.push(node);
      return splits.length <= MAX_SPLITS ? { splits: Int32Array.from(splits), patterns: new Map() } : null;
    });
  }

  /** Adds tree `index`'s contributions for the row at x[offset..] into phi. */
  explainTree(index: number, x: Float32Array, offset: number, phi: Float64Array): void {
    const tree = this.trees[index] as Tree;
    const memo = this.memos[index];
    if (!memo) {
      this.shap.explainTree(tree, x, offset, phi);
      return;
    }
    let pattern = 0;
    for (let s = 0; s < memo.splits.length; s++) {
      const node = memo.splits[s] as number;
      if (goesLeft(tree, node, x[offset + (tree.feature[node] as number)] as number)) pattern |= 1 << s;
    }
    let contributions = memo.patterns.get(pattern);
    if (!contributions) {
      contributions = this.contributionsOf(tree, x, offset);
      memo.patterns.set(pattern, contributions);
    }
    for (let k = 0; k < contributions.length; k += 2) {
      const f = contributions[k] as number;
      phi[f] = (phi[f] as number) + (contributions[k + 1] as number);
    }
  }

  private contributionsOf(tree: Tree, x: Float32Array, offset: number): Float64Array {
    const { scratch } = this;
    scratch.fill(0);
    this.shap.explainTree(tree, x, offset, scratch);
    const pairs: number[] = [];
    for (let f = 0; f < scratch.length; f++) if (scratch[f] !== 0) pairs.push(f, scratch[f] as number);
    return Float64Array.from(pairs);
  }
}
