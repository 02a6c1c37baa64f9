import { describe, expect, it } from 'vitest';
import { dealScoreOf, engagementLevelOf, leadGradeOf, priorityOf, quartileCuts, trendOf } from './derived.ts';

describe('derived scores', () => {
  const likelihoods = Array.from({ length: 100 }, (_, i) => i / 100);
  const cuts = quartileCuts(likelihoods);

  it('contact priority is the quartile of the portal’s likelihoods, very high = top 25%', () => {
    const tiers = likelihoods.map((p) => priorityOf(p, cuts));
    for (const tier of ['very_high', 'high', 'medium', 'low']) expect(tiers.filter((t) => t === tier).length).toBe(25);
    expect(priorityOf(0.99, cuts)).toBe('very_high');
    expect(priorityOf(0, cuts)).toBe('low');
  });

  it('deal score 1–5 in fixed bands', () => {
    expect([0.05, 0.25, 0.45, 0.65, 0.95].map(dealScoreOf)).toEqual([1, 2, 3, 4, 5]);
  });

  it('lead grade: fit A–D × engagement 1–4, with no engagement always 4', () => {
    const engagementCuts = quartileCuts([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(leadGradeOf(0.99, cuts, 8, engagementCuts)).toBe('A1');
    expect(leadGradeOf(0.01, cuts, 0, engagementCuts)).toBe('D4');
    expect(leadGradeOf(0.6, cuts, 3, engagementCuts)).toBe('B3');
  });

  it('trend compares with the previous score using a threshold', () => {
    expect(trendOf(0.5, null, 0.03)).toBe('steady');
    expect(trendOf(0.5, 0.49, 0.03)).toBe('steady');
    expect(trendOf(0.6, 0.5, 0.03)).toBe('up');
    expect(trendOf(0.4, 0.5, 0.03)).toBe('down');
  });

  it('account engagement: lonely after X days without anything new, else high or medium', () => {
    expect(engagementLevelOf(40, 30, 5, 1)).toBe('lonely');
    expect(engagementLevelOf(null, 30, 0, 1)).toBe('lonely');
    expect(engagementLevelOf(3, 30, 5, 1)).toBe('high');
    expect(engagementLevelOf(3, 30, 0.5, 1)).toBe('medium');
  });
});
