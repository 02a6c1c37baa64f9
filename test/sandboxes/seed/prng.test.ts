import { describe, expect, it } from 'vitest';
import { createRng, weightedSampler } from './prng.ts';

describe('createRng', () => {
  it('repeats a sequence for the same seed and label, and differs otherwise', () => {
    const draw = (seed: number, label: string) => {
      const rng = createRng(seed, label);
      return Array.from({ length: 5 }, () => rng.next());
    };
    expect(draw(1, 'x')).toEqual(draw(1, 'x'));
    expect(draw(1, 'x')).not.toEqual(draw(2, 'x'));
    expect(draw(1, 'x')).not.toEqual(draw(1, 'y'));
  });

  it('draws roughly uniform, normal and Poisson values', () => {
    const rng = createRng(3);
    const n = 20_000;
    let sum = 0;
    let sumSq = 0;
    let poissonSum = 0;
    let inRange = true;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (u < 0 || u >= 1) inRange = false;
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
      poissonSum += rng.poisson(2.5);
    }
    expect(inRange).toBe(true);
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.05);
    expect(Math.abs(poissonSum / n - 2.5)).toBeLessThan(0.05);
  });

  it('samples weights in proportion', () => {
    const rng = createRng(5);
    const sample = weightedSampler(rng, [1, 0, 3]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 8000; i++) counts[sample()]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.6);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.4);
  });
});
