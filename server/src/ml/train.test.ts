import { describe, expect, it } from 'vitest';
import { rocAuc } from './metrics.ts';
import { readOnnx } from './onnx-read.ts';
import { createRng } from './rng.ts';
import { loadScorer } from './scorer.ts';
import { syntheticData } from './test-support/synthetic.ts';
import { trainModel } from './train.ts';
import { predictMargins } from './tree.ts';
import type { FeatureDef, FeatureValue } from './types.ts';

const data = syntheticData(6000, 1);
const holdout = syntheticData(3000, 2);
const input = { features: data.features, rows: data.rows, labels: data.labels, seed: 7 };

describe('trainModel', () => {
  it('learns the signal: hold-out AUC close to that of the true log-odds', async () => {
    const bundle = await trainModel(input);
    const scorer = await loadScorer(bundle);
    const p = await scorer.predict(holdout.rows);
    const best = rocAuc(holdout.labels, holdout.margins);
    expect(rocAuc(holdout.labels, p)).toBeGreaterThan(best - 0.02);
    expect(bundle.card.iterations).toBeLessThan(400); // early stopping fired
    expect(bundle.card.importance.at(-1)?.feature).toBe('noise');
  });

  it('is deterministic for a seed and changes with the seed when subsampling', async () => {
    const params = { rowSubsample: 0.7, colSubsample: 0.8, maxIterations: 30 };
    const trees = { ...input, candidates: ['gbdt' as const] };
    const a = await trainModel({ ...trees, params });
    const b = await trainModel({ ...trees, params });
    const c = await trainModel({ ...trees, params, seed: 8 });
    const x = (await loadScorer(a)).encode(holdout.rows);
    const margins = (bundle: typeof a) =>
      predictMargins(readOnnx(bundle.onnx).ensemble as NonNullable<ReturnType<typeof readOnnx>['ensemble']>, x);
    expect(margins(a)).toEqual(margins(b));
    expect(margins(a)).not.toEqual(margins(c));
  });

  it('learns where missing values go, and scores unknown levels as the other level', async () => {
    const bundle = await trainModel(input);
    const scorer = await loadScorer(bundle);
    const base = { up: 5, down: 5, noise: 0.5, plan: 'pro' };
    const [missing, low, unknownPlan, knownPro] = await scorer.predict([
      { ...base, signal: null },
      { ...base, signal: 0.5 },
      { ...base, signal: 2, plan: 'never-seen' },
      { ...base, signal: 2 },
    ]);
    expect(missing).toBeGreaterThan(low as number); // missing signal means higher odds in the data
    expect(Number.isFinite(unknownPlan)).toBe(true);
    expect(Number.isFinite(knownPro)).toBe(true);
  });

  it('honours monotone constraints', async () => {
    const features = data.features.map((f) =>
      f.name === 'noise' ? { ...f, monotone: 1 as const } : f.name === 'up' ? { ...f, monotone: 1 as const } : f,
    );
    const bundle = await trainModel({ ...input, features });
    const scorer = await loadScorer(bundle);
    for (const row of holdout.rows.slice(0, 30)) {
      const sweep = Array.from({ length: 41 }, (_, k) => ({ ...row, up: k / 4, noise: k / 40 }));
      const p = await scorer.predict(sweep);
      for (let k = 1; k < p.length; k++) expect(p[k]).toBeGreaterThanOrEqual((p[k - 1] as number) - 1e-12);
    }
  });

  it('calibrates on the early-stopping slice by default, and the test slice is newer than both', async () => {
    const time = Float64Array.from(data.labels, (_, i) => i);
    const { card } = await trainModel({ ...input, time });
    const { fit, earlyStopping, calibration, test } = card.slices;
    expect(card.params.calibrationFraction).toBe(0);
    expect(calibration).toEqual(earlyStopping);
    expect(card.data.calibrationRows).toBe(0);
    expect(fit.rows).toBe(Math.round((data.rows.length - test.rows) * 0.9));
    expect(fit.timeTo).toBeLessThan(earlyStopping.timeFrom as number);
    expect(earlyStopping.timeTo).toBeLessThan(test.timeFrom as number);
    expect(fit.rows + earlyStopping.rows + test.rows).toBe(data.rows.length);
    expect(card.holdoutSlice).toBe('test');
  });

  it('uses the newest rows for test, calibration and early stopping, in that order, when time is given', async () => {
    const time = Float64Array.from(data.labels, (_, i) => i);
    const { card } = await trainModel({ ...input, time, params: { calibrationFraction: 0.1 } });
    expect(card.data.testRows).toBe(Math.round(data.rows.length * 0.1));
    const { fit, earlyStopping, calibration, test } = card.slices;
    expect(fit.timeTo).toBeLessThan(earlyStopping.timeFrom as number);
    expect(earlyStopping.timeTo).toBeLessThan(calibration.timeFrom as number);
    expect(calibration.timeTo).toBeLessThan(test.timeFrom as number);
    expect(fit.rows + earlyStopping.rows + calibration.rows + test.rows).toBe(data.rows.length);
    expect(card.holdoutSlice).toBe('test');
  });

  it('keeps the signal of a high-cardinality categorical column (more levels than bins)', async () => {
    const rng = createRng(3);
    const effect = Array.from({ length: 1500 }, () => (rng() - 0.5) * 4);
    const make = (n: number) => {
      const rows: Record<string, FeatureValue>[] = [];
      const labels: number[] = [];
      for (let i = 0; i < n; i++) {
        const k = Math.floor(rng() ** 1.5 * effect.length);
        labels.push(rng() < 1 / (1 + Math.exp(-((effect[k] as number) - 1))) ? 1 : 0);
        rows.push({ city: `c${k}`, a: rng() });
      }
      return { rows, labels };
    };
    const train = make(20_000);
    const test = make(10_000);
    const auc = async (maxCategories: number) => {
      const features: FeatureDef[] = [
        { name: 'city', type: 'categorical' },
        { name: 'a', type: 'numeric' },
      ];
      const bundle = await trainModel({ features, ...train, params: { maxCategories } });
      return rocAuc(test.labels, await (await loadScorer(bundle)).predict(test.rows));
    };
    const all = await auc(5000);
    expect(all).toBeGreaterThan(0.7);
    expect(all).toBeGreaterThan((await auc(200)) + 0.03);
  });

  it('rejects bad input with clear errors', async () => {
    await expect(trainModel({ ...input, labels: new Uint8Array(data.labels.length) })).rejects.toThrow(/constant/);
    await expect(trainModel({ ...input, labels: Array.from(data.labels, (y, i) => (i === 3 ? 2 : y)) })).rejects.toThrow(/row 4/);
    await expect(trainModel({ ...input, rows: [{ ...data.rows[0], up: 'abc' }, ...data.rows.slice(1)] })).rejects.toThrow(
      /'up' is numeric but row 1/,
    );
  });
});
