import { describe, expect, it } from 'vitest';
import { contributionsBySource, scoreChange } from './score-change.ts';

const infos = [
  { name: 'deal_amount', kind: 'numeric' as const, source: 'deal.amount', label: 'amount' },
  { name: 'deal_amount_changes', kind: 'numeric' as const, source: 'deal.amount', label: 'amount changes' },
  { name: 'deal_contacts', kind: 'numeric' as const, source: 'deal.contacts', label: 'contacts on the deal' },
];
const row = { deal_amount: 5000, deal_amount_changes: 1, deal_contacts: 3 };
const since = '2026-11-03T00:00:00.000Z';

describe('scoreChange', () => {
  it('sums contributions per source, as the reasons do', () => {
    expect(
      contributionsBySource(
        [
          { feature: 'deal_amount', contribution: 0.2 },
          { feature: 'deal_amount_changes', contribution: -0.05 },
          { feature: 'deal_contacts', contribution: 0.1 },
        ],
        infos,
      ),
    ).toEqual({ 'deal.amount': 0.15, 'deal.contacts': 0.1 });
  });

  it('is null on a first score and on a previous score stored without contributions', () => {
    const base = { probability: 0.5, contributions: { 'deal.amount': 0.1 }, row, infos, facts: {} };
    expect(scoreChange({ ...base, previous: null })).toBeNull();
    expect(scoreChange({ ...base, previous: { probability: 0.4, scoredAt: since, contributions: {} } })).toBeNull();
  });

  it('gives the probability change in points and ranks movers by |Δ log-odds|, each converted at the previous probability', () => {
    const change = scoreChange({
      previous: { probability: 0.5, scoredAt: since, contributions: { 'deal.amount': 0, 'deal.contacts': 0.3 } },
      probability: 0.6234,
      contributions: { 'deal.amount': 0.8, 'deal.contacts': 0.1 },
      row,
      infos,
      facts: {},
    });
    expect(change?.points).toBe(12.3);
    expect(change?.since).toBe(since);
    expect(change?.movers.map((m) => m.source)).toEqual(['deal.amount', 'deal.contacts']);
    // sigmoid(0 + 0.8) − 0.5 = 0.18997…; sigmoid(−0.2) − 0.5 = −0.04983…
    expect(change?.movers.map((m) => m.points)).toEqual([19, -5]);
    expect(change?.movers[0]?.label).toContain('5,000');
  });
});
