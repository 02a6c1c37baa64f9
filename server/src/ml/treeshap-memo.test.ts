import { describe, expect, it } from 'vitest';
import { encodeRecords } from './encode.ts';
import { readOnnx } from './onnx-read.ts';
import { syntheticData } from './test-support/synthetic.ts';
import { trainModel } from './train.ts';
import { TreeShap, treeDepth } from './treeshap.ts';
import { MemoizedTreeShap } from './treeshap-memo.ts';

describe('memoized TreeSHAP', () => {
  it('gives the direct recursion’s contributions for every row, small trees memoized and large ones not', async () => {
    const data = syntheticData(4000, 9);
    for (const maxLeaves of [4, 31]) {
      const bundle = await trainModel({
        features: data.features,
        rows: data.rows,
        labels: data.labels,
        params: { maxIterations: 40, maxLeaves },
        candidates: ['gbdt'],
      });
      const ensemble = readOnnx(bundle.onnx).ensemble;
      if (!ensemble) throw new Error('no trees read back');
      const M = data.features.length;
      const shap = new TreeShap(Math.max(...ensemble.trees.map(treeDepth)));
      const memo = new MemoizedTreeShap(shap, ensemble.trees, M);
      // Missing values included: the missing direction is one of the decisions a pattern records.
      const rows = data.rows.slice(0, 600).map((row, i) => (i % 7 === 0 ? { ...row, [data.features[0]!.name]: null } : row));
      const x = encodeRecords(bundle.featureSpec.features, rows);
      for (let r = 0; r < rows.length; r++) {
        const direct = new Float64Array(M);
        const memoized = new Float64Array(M);
        for (const [t, tree] of ensemble.trees.entries()) {
          shap.explainTree(tree, x, r * M, direct);
          memo.explainTree(t, x, r * M, memoized);
        }
        for (let f = 0; f < M; f++) expect(memoized[f]).toBeCloseTo(direct[f]!, 12);
      }
    }
  });
});
