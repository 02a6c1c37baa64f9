import { describe, expect, it } from 'vitest';
import { fitBins } from './binning.ts';
import { createRng } from './rng.ts';

describe('bin thresholds', () => {
  it('are the same whether a column is sorted by counting (small integer range) or by comparison', () => {
    const rng = createRng(11);
    const n = 5000;
    const x = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      // Skewed integers in −300..300 with many ties, some missing; column 1 is column 0 × 1000 (a range too
      // wide to count, so it is sorted by comparison).
      const v = rng() < 0.05 ? Number.NaN : Math.round((rng() - 0.3) ** 3 * 600) % 301;
      x[i * 2] = v;
      x[i * 2 + 1] = v * 1000;
    }
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    for (const maxBins of [255, 16]) {
      const { thresholds, nBins } = fitBins(x, 2, rows, maxBins, 1);
      expect(thresholds[0]?.length).toBeGreaterThan(0);
      expect(Array.from(thresholds[1] as Float32Array)).toEqual(Array.from(thresholds[0] as Float32Array, (t) => t * 1000));
      expect(nBins[0]).toBe(nBins[1]);
    }
  });

  it('give an all-missing column no thresholds instead of failing (a field empty on every fit row)', () => {
    const n = 50;
    const x = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      x[i * 2] = Number.NaN;
      x[i * 2 + 1] = i % 7;
    }
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    const { thresholds } = fitBins(x, 2, rows, 255, 1);
    expect(thresholds[0]?.length).toBe(0);
    expect(thresholds[1]?.length).toBe(6);
  });
});
