import { createRng } from '../rng.ts';
import type { FeatureDef, FeatureValue } from '../types.ts';

export interface LabelledData {
  features: FeatureDef[];
  rows: Record<string, FeatureValue>[];
  labels: Uint8Array;
  time: Float64Array;
}

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/**
 * A small funnel where a regularised logistic regression should beat trees: two numbers with linear effects
 * on the log-odds and a 400-level categorical (e.g. a lead source or company) whose levels each shift the
 * odds by their own amount (a random effect, ~7 rows per level at 3,000 rows). The level effects come from
 * `effectSeed`, so a fresh sample of the same population (other `seed`) is a fair test set.
 */
export function linearFunnel(n: number, seed: number, effectSeed = 99): LabelledData {
  const effects = createRng(effectSeed);
  const levelEffect = Array.from({ length: 400 }, () => 0.9 * gaussian(effects));
  const rng = createRng(seed);
  const rows: Record<string, FeatureValue>[] = [];
  const labels = new Uint8Array(n);
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const visits = gaussian(rng) * 3 + 10;
    const age = rng() < 0.1 ? null : rng() * 100;
    const level = Math.floor(rng() * 400);
    const m = -1 + 0.35 * (visits - 10) - 0.02 * ((age ?? 50) - 50) + (levelEffect[level] as number);
    labels[i] = rng() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
    rows.push({ visits, age, source: `src-${level}` });
    time[i] = i;
  }
  return {
    features: [
      { name: 'visits', type: 'numeric' },
      { name: 'age', type: 'numeric' },
      { name: 'source', type: 'categorical' },
    ],
    rows,
    labels,
    time,
  };
}

/** Pure interaction (the sign of a × b, plus a threshold on c): no additive model can rank it. */
export function interactionData(n: number, seed: number): LabelledData {
  const rng = createRng(seed);
  const rows: Record<string, FeatureValue>[] = [];
  const labels = new Uint8Array(n);
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng() * 2 - 1;
    const b = rng() * 2 - 1;
    const c = rng();
    const m = (a * b > 0 ? 2 : -2) + (c > 0.7 ? 1 : 0);
    labels[i] = rng() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
    rows.push({ a, b, c, tier: a > 0 ? 'x' : 'y' });
    time[i] = i;
  }
  return {
    features: [
      { name: 'a', type: 'numeric' },
      { name: 'b', type: 'numeric' },
      { name: 'c', type: 'numeric' },
      { name: 'tier', type: 'categorical' },
    ],
    rows,
    labels,
    time,
  };
}
