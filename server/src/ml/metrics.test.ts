import { describe, expect, it } from 'vitest';
import { brier, calibrationTable, expectedCalibrationError, liftByDecile, logLoss, rocAuc } from './metrics.ts';
import { createRng } from './rng.ts';

function pairwiseAuc(labels: number[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = 0; j < labels.length; j++) {
      if (labels[i] !== 1 || labels[j] !== 0) continue;
      pairs++;
      wins += (scores[i] as number) > (scores[j] as number) ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('metrics', () => {
  it('rocAuc equals the pairwise definition, ties counting half', () => {
    const rng = createRng(3);
    const labels = Array.from({ length: 300 }, () => (rng() < 0.3 ? 1 : 0));
    const scores = labels.map((y) => Math.round((rng() + y * 0.4) * 20) / 20); // many ties
    expect(rocAuc(labels, scores)).toBeCloseTo(pairwiseAuc(labels, scores), 12);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4])).toBe(0);
    expect(Number.isNaN(rocAuc([1, 1], [0.1, 0.2]))).toBe(true);
  });

  it('logLoss and brier match hand computation', () => {
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(brier([1, 0], [0.8, 0.4])).toBeCloseTo((0.04 + 0.16) / 2, 12);
  });

  it('calibration table and ECE: perfect predictions score 0, a constant offset scores the offset', () => {
    const rng = createRng(5);
    const p = Array.from({ length: 200_000 }, () => rng());
    const y = p.map((q) => (rng() < q ? 1 : 0));
    expect(expectedCalibrationError(y, p)).toBeLessThan(0.01);
    const shifted = p.map((q) => Math.min(1, q * 0.5 + 0.5));
    expect(expectedCalibrationError(y, shifted)).toBeGreaterThan(0.2);
    const table = calibrationTable(y, p);
    expect(table).toHaveLength(10);
    expect(table.reduce((s, b) => s + b.count, 0)).toBe(p.length);
    expect(table[9]?.meanPredicted).toBeGreaterThan(0.9);
  });

  it('lift by decile puts positives first for a perfect ranking', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i < 10 ? 1 : 0));
    const scores = labels.map((y, i) => y + i / 1000);
    const lift = liftByDecile(labels, scores);
    expect(lift[0]?.positives).toBe(10);
    expect(lift[0]?.lift).toBeCloseTo(10, 12);
    expect(lift[0]?.cumulativeGain).toBe(1);
    expect(lift[9]?.cumulativeGain).toBe(1);
  });
});
