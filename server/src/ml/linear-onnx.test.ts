import { describe, expect, it } from 'vitest';
import { linearMargin } from './linear-model.ts';
import { readOnnx } from './onnx-read.ts';
import { loadScorer } from './scorer.ts';
import { linearFunnel } from './test-support/selection-data.ts';
import { syntheticData } from './test-support/synthetic.ts';
import { trainModel } from './train.ts';
import type { FeatureValue } from './types.ts';

const sigmoid = (m: number) => 1 / (1 + Math.exp(-m));

describe('logistic regression served through ONNX Runtime', () => {
  it('ONNX Runtime agrees with the TypeScript model to 1e-5, with missing values and unseen levels', async () => {
    const data = syntheticData(4000, 3);
    const bundle = await trainModel({ features: data.features, rows: data.rows, labels: data.labels, candidates: ['logistic'] });
    expect(bundle.card.selection.chosen).toBe('logistic');
    const info = readOnnx(bundle.onnx);
    expect(info.linear).not.toBeNull();
    expect(info.ensemble).toBeNull();
    const linear = info.linear as NonNullable<typeof info.linear>;
    const scorer = await loadScorer(bundle);
    const rows: Record<string, FeatureValue>[] = syntheticData(3000, 9).rows.map((row, i) =>
      i % 7 === 0 ? { ...row, plan: 'never-seen' } : i % 11 === 0 ? { ...row, plan: null, up: null } : row,
    );
    const x = scorer.encode(rows);
    const ort = await scorer.rawProbabilities(x);
    let maxDp = 0;
    for (let i = 0; i < rows.length; i++) maxDp = Math.max(maxDp, Math.abs((ort[i] as number) - sigmoid(linearMargin(linear, x, i * 5))));
    expect(maxDp).toBeLessThanOrEqual(1e-5);
    // A categorical-heavy model too: 400 levels one-hot.
    const funnel = linearFunnel(3000, 1);
    const wide = await trainModel({ features: funnel.features, rows: funnel.rows, labels: funnel.labels, candidates: ['logistic'] });
    const wideScorer = await loadScorer(wide);
    const wideModel = readOnnx(wide.onnx).linear as NonNullable<typeof info.linear>;
    const wideRows = linearFunnel(2000, 5).rows;
    const wx = wideScorer.encode(wideRows);
    const wideOrt = await wideScorer.rawProbabilities(wx);
    let wideDp = 0;
    for (let i = 0; i < wideRows.length; i++)
      wideDp = Math.max(wideDp, Math.abs((wideOrt[i] as number) - sigmoid(linearMargin(wideModel, wx, i * 3))));
    expect(wideDp).toBeLessThanOrEqual(1e-5);
    console.log(`parity: max |ORT − TS| = ${maxDp.toExponential(2)} (5 features), ${wideDp.toExponential(2)} (400-level one-hot)`);
  });

  it('exact linear contributions sum to the logit, and calibration applies to the chosen model', async () => {
    const data = syntheticData(4000, 3);
    const bundle = await trainModel({ features: data.features, rows: data.rows, labels: data.labels, candidates: ['logistic'] });
    expect(bundle.featureSpec.calibration.method).toBe('platt');
    expect(bundle.card.calibration.noSpread).toBe(false);
    const scorer = await loadScorer(bundle);
    const rows = syntheticData(300, 9).rows.map((row, i) => (i % 5 === 0 ? { ...row, signal: null, plan: 'never-seen' } : row));
    const explanations = await scorer.explain(rows);
    const raw = await scorer.rawProbabilities(scorer.encode(rows));
    let maxSum = 0;
    let maxLogit = 0;
    explanations.forEach((e, i) => {
      const sum = e.baseValue + e.contributions.reduce((s, c) => s + c.contribution, 0);
      maxSum = Math.max(maxSum, Math.abs(sum - e.margin));
      const p = raw[i] as number;
      maxLogit = Math.max(maxLogit, Math.abs(e.margin - Math.log(p / (1 - p))));
      expect(e.contributions).toHaveLength(5);
    });
    expect(maxSum).toBeLessThanOrEqual(1e-9);
    expect(maxLogit).toBeLessThanOrEqual(1e-3); // ORT's float32 probability, read back as a logit
    // Same shape as TreeSHAP's: sorted by size, unseen levels marked.
    const first = explanations[0];
    expect(first?.contributions.find((c) => c.feature === 'plan')?.unseen).toBe(true);
    // The signal's effect is positive: a higher value contributes more.
    const [low, high] = await scorer.explain([
      { up: 5, down: 5, noise: 0.5, signal: 0.5, plan: 'pro' },
      { up: 5, down: 5, noise: 0.5, signal: 3.5, plan: 'pro' },
    ]);
    const signalOf = (e: typeof low) => e?.contributions.find((c) => c.feature === 'signal')?.contribution as number;
    expect(signalOf(high)).toBeGreaterThan(signalOf(low));
  });
});
