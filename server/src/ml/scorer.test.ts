import { describe, expect, it } from 'vitest';
import { readOnnx } from './onnx-read.ts';
import { loadScorer } from './scorer.ts';
import { foreignTreeOnnx, linearOnnx } from './test-support/onnx-fixtures.ts';
import { syntheticData } from './test-support/synthetic.ts';
import { trainModel } from './train.ts';
import { predictMargins, sigmoid } from './tree.ts';
import type { FeatureSpec } from './types.ts';

describe('scorer (ONNX Runtime web)', () => {
  it('agrees with the TypeScript trees to 1e-5 on every row, and TreeSHAP sums to the margin', async () => {
    const data = syntheticData(5000, 3);
    const bundle = await trainModel({ features: data.features, rows: data.rows, labels: data.labels, candidates: ['gbdt'] });
    const scorer = await loadScorer(bundle);
    const test = syntheticData(2000, 9).rows;
    const x = scorer.encode(test);
    const ort = await scorer.rawProbabilities(x);
    const margins = predictMargins(readOnnx(bundle.onnx).ensemble as NonNullable<ReturnType<typeof readOnnx>['ensemble']>, x);
    let maxDp = 0;
    for (let i = 0; i < test.length; i++) maxDp = Math.max(maxDp, Math.abs((ort[i] as number) - sigmoid(margins[i] as number)));
    expect(maxDp).toBeLessThanOrEqual(1e-5);
    const explanations = await scorer.explain(test.slice(0, 300));
    let maxSumError = 0;
    let maxMarginError = 0;
    let unsorted = 0;
    explanations.forEach((e, i) => {
      const sum = e.baseValue + e.contributions.reduce((s, c) => s + c.contribution, 0);
      maxSumError = Math.max(maxSumError, Math.abs(sum - e.margin));
      maxMarginError = Math.max(maxMarginError, Math.abs(e.margin - (margins[i] as number)));
      const sizes = e.contributions.map((c) => Math.abs(c.contribution));
      if (sizes.some((v, k) => k > 0 && v > (sizes[k - 1] as number))) unsorted++;
    });
    expect(maxSumError).toBeLessThanOrEqual(1e-6);
    expect(maxMarginError).toBeLessThanOrEqual(1e-9);
    expect(unsorted).toBe(0);
    // Calibrated output is a monotone map of ORT's probability.
    const calibrated = await scorer.predict(test);
    const order = [...ort.keys()].sort((a, b) => (ort[a] as number) - (ort[b] as number));
    const drops = order.filter((r, k) => k > 0 && (calibrated[r] as number) < (calibrated[order[k - 1] as number] as number) - 1e-12);
    expect(drops).toEqual([]);
  });

  it('serves and explains a bring-your-own tree model (BRANCH_LT, probabilities, no covers)', async () => {
    const spec: FeatureSpec = {
      format: 'closewise.feature-spec',
      version: 1,
      inputName: 'X',
      probabilityOutput: 'probs',
      positiveIndex: 1,
      features: [
        { name: 'visits', type: 'numeric' },
        { name: 'tier', type: 'categorical', levels: ['free', 'paid'] },
      ],
      calibration: { method: 'none' },
    };
    const scorer = await loadScorer({ onnx: foreignTreeOnnx(), featureSpec: spec });
    const rows = [
      { visits: 1, tier: 'free' },
      { visits: 1, tier: 'paid' },
      { visits: 7, tier: 'free' },
    ];
    const p = await scorer.predict(rows);
    expect(Array.from(p, (v) => Number(v.toFixed(5)))).toEqual([0.1, 0.6, 0.9]);
    const explanations = await scorer.explain(rows);
    explanations.forEach((e, i) => {
      expect(e.margin).toBeCloseTo(p[i] as number, 6);
      expect(e.baseValue + e.contributions.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(e.margin, 10);
    });
  });

  it('serves a non-tree model but refuses to explain it, clearly', async () => {
    const spec: FeatureSpec = {
      format: 'closewise.feature-spec',
      version: 1,
      inputName: 'X',
      probabilityOutput: 'probs',
      positiveIndex: 1,
      features: [
        { name: 'a', type: 'numeric' },
        { name: 'b', type: 'numeric' },
      ],
      calibration: { method: 'none' },
    };
    const scorer = await loadScorer({ onnx: linearOnnx(), featureSpec: spec });
    const [p] = await scorer.predict([{ a: 1, b: 1 }]);
    // softmax([-1-2+0.5, 1+2-0.5])[1]
    expect(p).toBeCloseTo(1 / (1 + Math.exp(-5)), 5);
    await expect(scorer.explain([{ a: 1, b: 1 }])).rejects.toThrow(/not a single TreeEnsembleClassifier/);
  });

  it('rejects a feature spec that does not fit the model', async () => {
    const data = syntheticData(500, 3);
    const bundle = await trainModel({ features: data.features, rows: data.rows, labels: data.labels, params: { maxIterations: 5 } });
    await expect(
      loadScorer({ onnx: bundle.onnx, featureSpec: { ...bundle.featureSpec, features: bundle.featureSpec.features.slice(1) } }),
    ).rejects.toThrow(/takes 5 features/);
    await expect(loadScorer({ onnx: bundle.onnx, featureSpec: { ...bundle.featureSpec, probabilityOutput: 'nope' } })).rejects.toThrow(
      /no output 'nope'/,
    );
  });
});
