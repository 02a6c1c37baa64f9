import { describe, expect, it } from 'vitest';
import { minimizeLbfgs, type Objective } from './lbfgs.ts';
import { fitLogistic } from './linear-fit.ts';
import { createRng } from './rng.ts';
import type { FeatureSpecEntry } from './types.ts';

/** ½ Σ a_i (w_i − c_i)², curvatures from 1e-3 to 1 (as rare and common one-hot columns). */
function badlyScaled(n: number) {
  const a = Float64Array.from({ length: n }, (_, i) => 10 ** (-3 * (i / (n - 1))));
  const c = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
  const objective: Objective = (w, grad) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const d = (w[i] as number) - (c[i] as number);
      f += 0.5 * (a[i] as number) * d * d;
      grad[i] = (a[i] as number) * d;
    }
    return f;
  };
  return { a, c, objective };
}

describe('L-BFGS', () => {
  it('reaches the same optimum with a diagonal preconditioner, in fewer iterations', () => {
    const { a, c, objective } = badlyScaled(40);
    const options = { maxIterations: 2000, gradientTolerance: 1e-10, relativeTolerance: 0 };
    const plain = minimizeLbfgs(objective, new Float64Array(40), options);
    const inverse = a.map((v) => 1 / v);
    const preconditioned = minimizeLbfgs(objective, new Float64Array(40), { ...options, preconditioner: inverse });
    const asMap = minimizeLbfgs(objective, new Float64Array(40), {
      ...options,
      preconditioner: (v) => v.map((x, i) => x * (inverse[i] as number)),
    });
    for (let i = 0; i < 40; i++) {
      expect(plain.w[i]).toBeCloseTo(c[i] as number, 4);
      expect(preconditioned.w[i]).toBeCloseTo(c[i] as number, 4);
    }
    expect(preconditioned.iterations).toBeLessThan(plain.iterations);
    expect(Array.from(asMap.w)).toEqual(Array.from(preconditioned.w));
  });

  it('continues from given curvature pairs (those of a looser solve) to the same optimum, and returns its own', () => {
    const { c, objective } = badlyScaled(30);
    const options = { maxIterations: 2000, gradientTolerance: 1e-8, relativeTolerance: 0 };
    const loose = minimizeLbfgs(objective, new Float64Array(30), { ...options, gradientTolerance: 1e-3 });
    expect(loose.pairs.s.length).toBeGreaterThan(0);
    expect(loose.pairs.s.length).toBe(loose.pairs.y.length);
    const warm = minimizeLbfgs(objective, loose.w, { ...options, pairs: loose.pairs });
    for (let i = 0; i < 30; i++) expect(warm.w[i]).toBeCloseTo(c[i] as number, 4);
    expect(warm.pairs.s.length).toBe(10);
  });
});

describe('logistic L2 search', () => {
  it('walks the decades strongest first until the validation loss rises, then tries the half-decades either side', () => {
    const rng = createRng(5);
    const n = 3000;
    const F = 3;
    const x = new Float32Array(n * F);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const a = rng() * 2 - 1;
      const b = rng() < 0.1 ? Number.NaN : rng();
      const level = Math.floor(rng() * 3);
      x[i * F] = a;
      x[i * F + 1] = b;
      x[i * F + 2] = level;
      const m = 1.5 * a + (Number.isNaN(b) ? 0.5 : b) + [0, 0.7, -0.7][level]! - 0.5;
      labels[i] = rng() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
    }
    const spec: FeatureSpecEntry[] = [
      { name: 'a', type: 'numeric' },
      { name: 'b', type: 'numeric' },
      { name: 'c', type: 'categorical', levels: ['p', 'q', 'r'] },
    ];
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    const { model, grid } = fitLogistic(x, spec, labels, rows.subarray(0, 2400), rows.subarray(2400));
    const isDecade = (l2: number) => Math.abs(Math.log10(l2) - Math.round(Math.log10(l2))) < 1e-9;
    const decades = grid.filter((g) => isDecade(g.l2));
    expect(decades.map((g) => g.l2)).toEqual([1, 0.1, 0.01, 1e-3, 1e-4, 1e-5].slice(0, decades.length));
    for (let k = 1; k < decades.length - 1; k++) expect(decades[k]?.logLoss).toBeLessThan(decades[k - 1]?.logLoss as number);
    const bestDecade = decades.reduce((b, g) => (g.logLoss < b.logLoss ? g : b));
    const refined = grid.slice(decades.length).map((g) => g.l2);
    for (const l2 of refined) expect([bestDecade.l2 * 0.3, bestDecade.l2 * 3].some((v) => Math.abs(v - l2) < 1e-12)).toBe(true);
    const best = grid.reduce((b, g) => (g.logLoss < b.logLoss ? g : b));
    expect(model.l2).toBe(best.l2);
    expect(model.numeric[0]?.coef).toBeGreaterThan(0.5);
  });
});
