import { describe, expect, it } from 'vitest';
import { encodeRecords } from './encode.ts';
import { readOnnx } from './onnx-read.ts';
import { syntheticData } from './test-support/synthetic.ts';
import { trainModel } from './train.ts';
import { goesLeft, type Tree } from './tree.ts';
import { TreeShap, treeDepth } from './treeshap.ts';

/** E[tree(x) | x_S] with the path-dependent rule: unknown features follow both branches weighted by cover. */
function conditional(tree: Tree, x: Float32Array, known: Set<number>, node = 0): number {
  const f = tree.feature[node] as number;
  if (f < 0) return tree.value[node] as number;
  const left = tree.left[node] as number;
  const right = tree.right[node] as number;
  if (known.has(f)) return conditional(tree, x, known, goesLeft(tree, node, x[f] as number) ? left : right);
  const c = tree.cover[node] as number;
  return (
    ((tree.cover[left] as number) * conditional(tree, x, known, left) +
      (tree.cover[right] as number) * conditional(tree, x, known, right)) /
    c
  );
}

function factorial(k: number): number {
  return k <= 1 ? 1 : k * factorial(k - 1);
}

/** Shapley values by enumerating every coalition. */
function bruteForce(tree: Tree, x: Float32Array, M: number): number[] {
  const phi = new Array<number>(M).fill(0);
  for (let i = 0; i < M; i++) {
    const others = [...Array(M).keys()].filter((j) => j !== i);
    for (let mask = 0; mask < 1 << others.length; mask++) {
      const S = new Set(others.filter((_, k) => mask & (1 << k)));
      const weight = (factorial(S.size) * factorial(M - S.size - 1)) / factorial(M);
      const withI = new Set(S).add(i);
      phi[i] = (phi[i] as number) + weight * (conditional(tree, x, withI) - conditional(tree, x, S));
    }
  }
  return phi;
}

describe('TreeSHAP', () => {
  it('matches brute-force Shapley values of every tree and sums to the margin', async () => {
    const data = syntheticData(3000, 4);
    const bundle = await trainModel({
      features: data.features,
      rows: data.rows,
      labels: data.labels,
      params: { maxIterations: 15, maxLeaves: 12 },
      candidates: ['gbdt'],
    });
    const ensemble = readOnnx(bundle.onnx).ensemble;
    if (!ensemble) throw new Error('no trees read back');
    const M = data.features.length;
    const shap = new TreeShap(Math.max(...ensemble.trees.map(treeDepth)));
    const x = encodeRecords(bundle.featureSpec.features, data.rows.slice(0, 25));
    for (let r = 0; r < 25; r++) {
      const row = x.subarray(r * M, (r + 1) * M);
      for (const tree of ensemble.trees.slice(0, 5)) {
        const phi = new Float64Array(M);
        shap.explainTree(tree, row, 0, phi);
        const expected = bruteForce(tree, row, M);
        for (let f = 0; f < M; f++) expect(phi[f]).toBeCloseTo(expected[f] as number, 10);
      }
    }
  });
});
