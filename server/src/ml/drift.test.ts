import { describe, expect, it } from 'vitest';
import { checkDriftOfRows, eceNoiseBound, psiNoiseBound, psiOfCounts } from './drift.ts';
import { createRng } from './rng.ts';
import { syntheticData } from './test-support/synthetic.ts';
import { trainModel } from './train.ts';
import type { FeatureValue } from './types.ts';

/**
 * The synthetic data in time order (row i at time i). From `driftFrom` on (the newest quarter) the world
 * changes as asked: the conversion rates fall (log-odds − 1.5 for the same inputs), or the plan mix moves
 * to enterprise (inputs shift, rates given the inputs stay).
 */
function timedData(n: number, seed: number, drift: 'none' | 'rates' | 'inputs') {
  const base = syntheticData(n, seed);
  const rng = createRng(seed + 100);
  const driftFrom = Math.floor(0.75 * n);
  const labels = new Uint8Array(n);
  const rows: Record<string, FeatureValue>[] = base.rows.map((row) => ({ ...row }));
  for (let i = 0; i < n; i++) {
    let margin = base.margins[i] as number;
    if (i >= driftFrom && drift === 'rates') margin -= 1.5;
    if (i >= driftFrom && drift === 'inputs' && rng() < 0.6) {
      const row = rows[i] as Record<string, FeatureValue>;
      margin += 1.5 - ({ basic: -1, pro: 0, team: 0.5, enterprise: 1.5 }[row['plan'] as string] as number);
      row['plan'] = 'enterprise';
    }
    labels[i] = rng() < 1 / (1 + Math.exp(-margin)) ? 1 : 0;
  }
  return { features: base.features, rows, labels, time: Float64Array.from({ length: n }, (_, i) => i) };
}

// The test slice is the newest quarter, so the model is judged exactly on the rows where the world changed.
const params = { testFraction: 0.25, validationFraction: 0.15, calibrationFraction: 0.15 };

describe('drift check in the model card', () => {
  it('stays quiet on stationary data', async () => {
    const { card } = await trainModel({ ...timedData(12_000, 3, 'none'), seed: 5, params });
    expect(card.drift.checked).toBe(true);
    expect(card.drift.newestSlice).toMatchObject({ rows: 3000, timeFrom: 9000, timeTo: 11_999 });
    expect(card.drift.psi.map((p) => p.feature).sort()).toEqual(['down', 'noise', 'plan', 'signal', 'up']);
    expect(Math.max(...card.drift.psi.map((p) => p.psi))).toBeLessThan(0.05);
    expect(card.drift.newestEce).toBeLessThan(card.drift.eceBound);
    expect(card.drift.warning).toBeNull();
    expect(card.warnings.some((w) => w.startsWith('drift'))).toBe(false);
  });

  it('warns when the conversion rates change in the newest quarter', async () => {
    const { card } = await trainModel({ ...timedData(12_000, 3, 'rates'), seed: 5, params });
    expect(card.drift.checked).toBe(true);
    expect(card.drift.newestEce).toBeGreaterThan(card.drift.eceBound);
    expect(card.drift.warning).toMatch(/^drift on the newest 3000 rows: the probabilities are off: calibration error 0\.\d+/);
    expect(card.drift.warning).toMatch(/the model predicted \d+\.\d% on average, \d+\.\d% happened/);
    // The inputs did not move: only the calibration fails.
    expect(card.drift.warning).not.toMatch(/inputs shifted/);
    expect(card.warnings).toContain(card.drift.warning);
  });

  it('warns when an input shifts in the newest quarter, naming it', async () => {
    const { card } = await trainModel({ ...timedData(12_000, 3, 'inputs'), seed: 5, params });
    expect(card.drift.psi[0]?.feature).toBe('plan');
    expect(card.drift.psi[0]?.psi).toBeGreaterThan(0.25);
    expect(card.drift.warning).toMatch(/the inputs shifted: plan \(PSI \d\.\d\d\), above 0\.25/);
    expect(card.warnings).toContain(card.drift.warning);
  });

  it('is not checked without time', async () => {
    const { rows, labels, features } = timedData(3000, 4, 'rates');
    const { card } = await trainModel({ features, rows, labels, seed: 5, params });
    expect(card.drift).toMatchObject({ checked: false, psi: [], warning: null });
  });
});

describe('population stability and noise bounds', () => {
  it('is 0 for equal shares and grows with the shift', () => {
    const ref = Float64Array.from([500, 300, 200]);
    expect(psiOfCounts(ref, Float64Array.from([50, 30, 20]))).toBeLessThan(1e-4); // only the smoothing
    const small = psiOfCounts(ref, Float64Array.from([45, 33, 22]));
    const large = psiOfCounts(ref, Float64Array.from([10, 30, 60]));
    expect(small).toBeLessThan(0.02);
    expect(large).toBeGreaterThan(0.5);
  });

  it('needs a larger shift on a small slice', () => {
    expect(psiNoiseBound(11, 10_000, 100)).toBeGreaterThan(0.25);
    expect(psiNoiseBound(11, 10_000, 5000)).toBeLessThan(0.02);
  });

  it('bounds the ECE of a calibrated model by its sampling noise', () => {
    const rng = createRng(9);
    const p = Float64Array.from({ length: 400 }, () => rng());
    const small = eceNoiseBound(p, 1);
    const large = eceNoiseBound(
      Float64Array.from({ length: 20_000 }, () => rng()),
      1,
    );
    expect(small).toBeGreaterThan(large);
    expect(large).toBeLessThan(0.02);
  });

  it('bins new and rare levels together, and missing values apart', () => {
    const features = [{ name: 'source', type: 'categorical' as const }];
    const reference = Array.from({ length: 1000 }, (_, i) => ({ source: i % 2 ? 'web' : 'event' }));
    const same = Array.from({ length: 500 }, (_, i) => ({ source: i % 2 ? 'web' : 'event' }));
    const newLevel = Array.from({ length: 500 }, (_, i) => ({ source: i % 2 ? 'web' : 'partner' }));
    const missing = Array.from({ length: 500 }, (_, i) => ({ source: i % 2 ? 'web' : null }));
    const check = (newest: Record<string, FeatureValue>[]) =>
      checkDriftOfRows({ features, reference, newest, newestLabels: newest.map(() => 0), newestPredictions: newest.map(() => 0.01) });
    expect(check(same).psi[0]?.psi).toBeLessThan(0.01);
    expect(check(newLevel).psi[0]?.psi).toBeGreaterThan(1);
    expect(check(newLevel).warning).toMatch(/source \(PSI/);
    expect(check(missing).psi[0]?.psi).toBeGreaterThan(1);
  });
});
