import { describe, expect, it } from 'vitest';
import { rocAuc } from './metrics.ts';
import { loadScorer } from './scorer.ts';
import { interactionData, linearFunnel } from './test-support/selection-data.ts';
import { trainModel } from './train.ts';
import type { ModelBundle } from './types.ts';

async function testAuc(bundle: ModelBundle, test: { rows: Record<string, number | string | null>[]; labels: Uint8Array }) {
  const scorer = await loadScorer(bundle);
  return rocAuc(test.labels, await scorer.predict(test.rows));
}

describe('model selection', () => {
  it('picks the logistic regression on a small funnel with a high-cardinality categorical, and it scores better', async () => {
    const train = linearFunnel(3000, 1);
    const test = linearFunnel(4000, 2);
    const input = { features: train.features, rows: train.rows, labels: train.labels, seed: 3 };
    const selected = await trainModel(input);
    const gbdt = await trainModel({ ...input, candidates: ['gbdt'] });
    const { selection } = selected.card;
    expect(selection.chosen).toBe('logistic');
    expect(selection.validation).toBe('stratified');
    expect(selection.candidates.map((c) => c.kind)).toEqual(['gbdt', 'logistic']);
    const [tree, linear] = selection.candidates;
    expect(linear?.auc).toBeGreaterThan(tree?.auc as number);
    expect(selected.card.iterations).toBe(0);
    expect(selected.card.logistic?.l2).toBeGreaterThan(0);
    const linearAuc = await testAuc(selected, test);
    const treeAuc = await testAuc(gbdt, test);
    console.log(`linear funnel: test AUC logistic ${linearAuc.toFixed(4)}, gbdt ${treeAuc.toFixed(4)}; validation`, selection.candidates);
    expect(linearAuc).toBeGreaterThan(treeAuc + 0.005);
    expect(gbdt.card.selection).toMatchObject({ chosen: 'gbdt', candidates: [{ kind: 'gbdt' }] });
  });

  it('chooses on the newest rows when time is given', async () => {
    const train = linearFunnel(3000, 1);
    const bundle = await trainModel({ features: train.features, rows: train.rows, labels: train.labels, time: train.time, seed: 3 });
    expect(bundle.card.selection.validation).toBe('time');
    expect(bundle.card.selection.chosen).toBe('logistic');
  });

  it('picks the trees when the outcome is an interaction', async () => {
    const train = interactionData(3000, 4);
    const bundle = await trainModel({ features: train.features, rows: train.rows, labels: train.labels, seed: 3 });
    const [tree, linear] = bundle.card.selection.candidates;
    console.log('interaction: validation', bundle.card.selection.candidates);
    expect(bundle.card.selection.chosen).toBe('gbdt');
    expect(tree?.auc).toBeGreaterThan((linear?.auc as number) + 0.1);
    expect(bundle.card.iterations).toBeGreaterThan(0);
  });

  it('keeps to the trees when a feature is monotone, and rejects unknown candidates clearly', async () => {
    const train = linearFunnel(1500, 1);
    const features = train.features.map((f) => (f.name === 'visits' ? { ...f, monotone: 1 as const } : f));
    const bundle = await trainModel({ features, rows: train.rows, labels: train.labels, params: { maxIterations: 20 } });
    expect(bundle.card.selection.candidates.map((c) => c.kind)).toEqual(['gbdt']);
    await expect(
      trainModel({ features: train.features, rows: train.rows, labels: train.labels, candidates: ['forest' as 'gbdt'] }),
    ).rejects.toThrow(/candidates: .*gbdt, logistic/);
  });
});
