/**
 * A fitted regression tree on the model's float32 inputs. Node i is a leaf when feature[i] < 0.
 * Rows go left when x ≤ threshold (float32 comparison), and NaN goes left when missingLeft[i] = 1.
 * `value` holds leaf outputs (learning rate applied); `cover` the training rows that reached each node
 * (what TreeSHAP weighs paths by).
 */
export interface Tree {
  feature: Int32Array;
  threshold: Float32Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  cover: Float64Array;
  /** Only for trees read from foreign ONNX files: index into BRANCH_MODES per node (0 = BRANCH_LEQ). */
  mode?: Uint8Array;
}

export interface Ensemble {
  trees: Tree[];
  /** Margin before any tree: log-odds of the training prior. */
  baseScore: number;
  nFeatures: number;
}

/** Whether a value goes to the left (ONNX "true") child under a branch mode of a foreign model. */
export function goesLeft(tree: Tree, node: number, v: number): boolean {
  if (Number.isNaN(v)) return tree.missingLeft[node] === 1;
  const t = tree.threshold[node] as number;
  switch (tree.mode ? (tree.mode[node] as number) : 0) {
    case 0:
      return v <= t;
    case 1:
      return v < t;
    case 2:
      return v >= t;
    case 3:
      return v > t;
    case 4:
      return v === t;
    default:
      return v !== t;
  }
}

export function leafIndex(tree: Tree, x: Float32Array, offset: number): number {
  if (tree.mode) {
    let node = 0;
    while ((tree.feature[node] as number) >= 0) {
      const v = x[offset + (tree.feature[node] as number)] as number;
      node = goesLeft(tree, node, v) ? (tree.left[node] as number) : (tree.right[node] as number);
    }
    return node;
  }
  let node = 0;
  const { feature, threshold, missingLeft, left, right } = tree;
  let f = feature[0] as number;
  while (f >= 0) {
    const v = x[offset + f] as number;
    const goLeft = Number.isNaN(v) ? missingLeft[node] === 1 : v <= (threshold[node] as number);
    node = goLeft ? (left[node] as number) : (right[node] as number);
    f = feature[node] as number;
  }
  return node;
}

/** Raw margins (log-odds) of n rows of a row-major float32 matrix. */
export function predictMargins(ensemble: Ensemble, x: Float32Array): Float64Array {
  const F = ensemble.nFeatures;
  const n = F === 0 ? 0 : x.length / F;
  const out = new Float64Array(n).fill(ensemble.baseScore);
  for (const tree of ensemble.trees) {
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) + (tree.value[leafIndex(tree, x, i * F)] as number);
  }
  return out;
}

export function sigmoid(margin: number): number {
  return 1 / (1 + Math.exp(-margin));
}

/** Cover-weighted mean output of a tree: its contribution to the expected margin. */
export function expectedValue(tree: Tree): number {
  let sum = 0;
  for (let i = 0; i < tree.feature.length; i++) {
    if ((tree.feature[i] as number) < 0) sum += (tree.value[i] as number) * (tree.cover[i] as number);
  }
  return sum / (tree.cover[0] as number);
}
