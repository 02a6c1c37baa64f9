import { describe, expect, it } from 'vitest';
import { MAX_SLOPE } from './calibration-guard.ts';
import { createRng } from './rng.ts';
import { loadScorer } from './scorer.ts';
import { trainModel } from './train.ts';
import type { FeatureValue } from './types.ts';

/**
 * A portal slice as the scoring layer trains it (its parameters, time-ordered rows), with a dozen positives
 * and near-constant features: the trees barely split, which used to drive the Platt slope to ±10²–10⁹.
 */
function thinSlice(seed: number) {
  const rng = createRng(seed);
  const rows: Record<string, FeatureValue>[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 800; i++) {
    labels.push(rng() < 12 / 800 ? 1 : 0);
    rows.push({
      amount: rng() < 0.97 ? 1000 : 1000 + Math.round(rng() * 3) * 500,
      owner: rng() < 0.98 ? 'o1' : 'o2',
      age: rng() < 0.95 ? 0 : 7,
    });
  }
  return { rows, labels };
}

const scoringParams = {
  maxLeaves: 4,
  minSamplesLeaf: 20,
  learningRate: 0.05,
  l2: 10,
  maxIterations: 300,
  validationFraction: 0.25,
  earlyStoppingRounds: 40,
  calibrationFraction: 0,
  testFraction: 0,
};

describe('calibration that cannot blow up', () => {
  it.each([1, 2, 3, 4, 5])('a dozen positives, near-constant features (seed %i): bounded, prevalence, flagged', async (seed) => {
    const { rows, labels } = thinSlice(seed);
    const bundle = await trainModel({
      features: [
        { name: 'amount', type: 'numeric' },
        { name: 'owner', type: 'categorical' },
        { name: 'age', type: 'numeric' },
      ],
      rows,
      labels,
      time: rows.map((_, i) => i),
      seed,
      params: scoringParams,
    });
    const calibration = bundle.featureSpec.calibration;
    if (calibration.method !== 'platt') throw new Error(`expected platt, got ${calibration.method}`);
    console.log(`seed ${seed}: Platt a=${calibration.a} b=${calibration.b}; card: ${bundle.card.calibration.note}`);
    expect(Math.abs(calibration.a)).toBeLessThanOrEqual(MAX_SLOPE);
    expect(Math.abs(calibration.b)).toBeLessThan(20);
    const p = await (await loadScorer(bundle)).predict(rows);
    const prevalence = labels.reduce((a, b) => a + b, 0) / labels.length;
    for (const value of p) {
      expect(value).toBeGreaterThanOrEqual(0.005);
      expect(value).toBeLessThanOrEqual(0.995);
    }
    expect(bundle.card.calibration.noSpread).toBe(true);
    expect(bundle.card.warnings.join(' ')).toMatch(/no spread/);
    expect(Math.max(...p) - Math.min(...p)).toBeLessThan(1e-6);
    expect(p[0]).toBeCloseTo(prevalence, 3);
  });
});
