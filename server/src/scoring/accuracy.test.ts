import { describe, expect, it } from 'vitest';
import { evaluateSynthetic } from './test-support/evaluate-synthetic.ts';

/**
 * The accuracy bar against the synthetic portal's planted probabilities, where it means something
 * (issue #15): on the time-based hold-out's first snapshots, where the planted probability is the ceiling,
 * deal and contact models reach AUC >= 0.97 x the oracle AUC; on later snapshots, where outcome-driven
 * activity is visible and a model may beat the oracle, each beats a stated simple baseline (the better of
 * activities so far and record age, demo/holdout-comparison.ts); on all rows, ECE <= 0.03.
 *
 * ECE needs a hold-out large enough to measure 0.03: a perfectly calibrated predictor's ECE on the deal
 * hold-outs is ~0.08 at the default 2,000 contacts (~170 hold-out deals) and 0.016–0.021 at 50,000 (~4,000).
 * - Acceptance run: SCORING_ACCURACY_CONTACTS=50000 SCORING_ACCURACY_SEEDS=1,2,3 (about 4 minutes per seed),
 *   ECE <= 0.03 exactly as the issue says.
 * - Default (every `npm test`): seed 1 at 20,000 contacts (about a minute); the same AUC bar, and ECE within
 *   0.01 of what a perfectly calibrated predictor gets on those rows (its p90 over 200 label redraws).
 */
const ACCEPTANCE_CONTACTS = 50_000;
const contacts = Number(process.env['SCORING_ACCURACY_CONTACTS'] ?? 20_000);
const seeds = (process.env['SCORING_ACCURACY_SEEDS'] ?? '1').split(',').map(Number);

describe.each(seeds)(`synthetic portal seed %i, ${contacts} contacts`, (seed) => {
  it('deal and contact models reach 0.97 x the oracle AUC on first snapshots, beat a baseline later, calibrated', async () => {
    const result = await evaluateSynthetic(seed, (line) => console.log(line), { contacts, forecast: false });
    for (const target of ['deal_win_at_creation', 'deal_win_after_proposal', 'contact_close_90d']) {
      const model = result.models.find((m) => m.target === target)!;
      // The oracle is the ceiling only where it was planted: each record as it was created.
      const first = model.comparison.find((c) => c.slice === 'first snapshot')!;
      expect(first.model / first.oracle!, `${target} first-snapshot AUC / oracle AUC`).toBeGreaterThanOrEqual(0.97);
      // Later, outcome-driven activity is visible and the oracle is no ceiling: beat the stated baseline.
      const later = model.comparison.find((c) => c.slice === 'later snapshots')!;
      expect(later.model, `${target} later-snapshot AUC vs ${later.baseline!.name}`).toBeGreaterThan(later.baseline!.auc);
      const all = model.slices.find((c) => c.slice === 'all rows')!;
      const eceBar = contacts >= ACCEPTANCE_CONTACTS ? 0.03 : all.eceFloor.p90 + 0.01;
      expect(model.ece, `${target} ECE (bar ${eceBar.toFixed(3)})`).toBeLessThanOrEqual(eceBar);
    }
  }, 900_000);
});
