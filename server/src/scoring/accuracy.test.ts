import { describe, expect, it } from 'vitest';
import { evaluateSynthetic } from './testing/evaluate-synthetic.ts';

/**
 * Accuracy on the full-size synthetic portal (2,000 contacts, 1,200 deals) against its planted probabilities.
 * Seeds from SCORING_ACCURACY_SEEDS (default 1; the acceptance run uses 1,2,3). The bounds here are regression
 * guards at what the models reach today (seeds 1–3: AUC / oracle 0.79–0.97), below the acceptance bar
 * (AUC >= 0.97 x oracle, ECE <= 0.03), which the scoring README shows is out of reach for any model on these
 * hold-outs: the oracle reads the latent engagement, and the ECE of a perfectly calibrated predictor on ~170
 * hold-out deals is 0.07–0.10 (testing/ceilings.ts).
 */
const seeds = (process.env['SCORING_ACCURACY_SEEDS'] ?? '1').split(',').map(Number);

describe.each(seeds)('synthetic portal seed %i', (seed) => {
  it('deal and contact models rank close to the oracle on the time hold-out', async () => {
    const result = await evaluateSynthetic(seed, (line) => console.log(line));
    for (const target of ['deal_win_at_creation', 'deal_win_after_proposal', 'contact_close_90d']) {
      const model = result.models.find((m) => m.target === target)!;
      expect(model.ratio, `${target} AUC / oracle AUC`).toBeGreaterThan(0.78);
      const all = model.ceilings.find((c) => c.slice === 'all rows')!;
      // The activity posterior is what a model reading the activities could reach; lowest today 0.79 (seed 3).
      expect(all.model / all.posterior, `${target} AUC / activity-posterior AUC`).toBeGreaterThan(0.78);
      // A perfectly calibrated predictor's ECE on these rows (labels redrawn) is the noise floor.
      expect(model.ece, `${target} ECE`).toBeLessThan(all.eceFloor.p90 + 0.05);
    }
    // At a contact's creation nothing observed depends on engagement: the posterior is the no-latent oracle.
    const first = result.models.find((m) => m.target === 'contact_close_90d')!.ceilings.find((c) => c.slice === 'first snapshot')!;
    expect(first.posterior).toBeCloseTo(first.noLatent, 6);
  }, 300_000);
});
