import { createRng } from '../rng.ts';
import type { FeatureDef, FeatureValue } from '../types.ts';

export interface SyntheticData {
  features: FeatureDef[];
  rows: Record<string, FeatureValue>[];
  labels: Uint8Array;
  /** The true log-odds each label was drawn from. */
  margins: Float64Array;
}

/**
 * Small data with known structure: `up` raises the odds, `down` lowers them, `noise` does nothing,
 * a missing `signal` means higher odds, and `plan` levels have distinct rates.
 */
export function syntheticData(n: number, seed = 1): SyntheticData {
  const rng = createRng(seed);
  const plans = ['basic', 'pro', 'team', 'enterprise'];
  const planEffect: Record<string, number> = { basic: -1, pro: 0, team: 0.5, enterprise: 1.5 };
  const rows: Record<string, FeatureValue>[] = [];
  const labels = new Uint8Array(n);
  const margins = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const up = rng() * 10;
    const down = rng() * 10;
    const signal = rng() < 0.25 ? null : rng() * 4;
    const plan = plans[Math.floor(rng() * plans.length)] as string;
    const m = 0.5 * (up - 5) - 0.3 * (down - 5) + (signal === null ? 1.2 : 0.3 * (signal - 2)) + (planEffect[plan] as number);
    margins[i] = m;
    labels[i] = rng() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
    rows.push({ up, down, noise: rng(), signal, plan });
  }
  return {
    features: [
      { name: 'up', type: 'numeric' },
      { name: 'down', type: 'numeric' },
      { name: 'noise', type: 'numeric' },
      { name: 'signal', type: 'numeric' },
      { name: 'plan', type: 'categorical' },
    ],
    rows,
    labels,
    margins,
  };
}
