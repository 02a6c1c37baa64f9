import { describe, expect, it } from 'vitest';
import { applyCalibration, fitIsotonic, fitPlatt } from './calibration.ts';
import { createRng } from './rng.ts';

describe('calibration', () => {
  it('Platt scaling recovers a known slope and offset on the margin', () => {
    const rng = createRng(11);
    const margins = Array.from({ length: 50_000 }, () => rng() * 8 - 4);
    const labels = margins.map((m) => (rng() < 1 / (1 + Math.exp(-(0.5 * m - 1))) ? 1 : 0));
    const fitted = fitPlatt(margins, labels);
    if (fitted.method !== 'platt') throw new Error('expected platt');
    expect(fitted.a).toBeCloseTo(0.5, 1);
    expect(fitted.b).toBeCloseTo(-1, 1);
  });

  it('isotonic calibration is monotone and maps an over-confident model back to observed rates', () => {
    const rng = createRng(12);
    const margins = Array.from({ length: 20_000 }, () => rng() * 8 - 4);
    const labels = margins.map((m) => (rng() < 1 / (1 + Math.exp(-m / 2)) ? 1 : 0));
    const fitted = fitIsotonic(
      margins.map((m) => 1 / (1 + Math.exp(-m))),
      labels,
    );
    let previous = -1;
    for (let m = -4; m <= 4; m += 0.25) {
      const p = applyCalibration(fitted, m);
      expect(p).toBeGreaterThanOrEqual(previous);
      previous = p;
    }
    expect(applyCalibration(fitted, 3)).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 1);
  });
});
