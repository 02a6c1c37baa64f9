import { describe, expect, it } from 'vitest';
import type { RecordInsights } from '../scoring/index.ts';
import { impactLabel, topTaskSuggestion } from './salesforce-insights.ts';

describe('impactLabel', () => {
  it('turns log-odds into approximate percentage points at the record probability', () => {
    // 0.5 log-odds at p = 0.5: 0.5 · 0.25 = 12.5 points.
    expect(impactLabel(0.5, 0.5, 'positive')).toBe('+13 pts');
    // The same log-odds move a probability near 0 or 1 much less.
    expect(impactLabel(0.5, 0.02, 'positive')).toBe('+1 pts');
    expect(impactLabel(-0.1, 0.2, 'negative')).toBe('−2 pts');
    expect(impactLabel(0.02, 0.5, 'positive')).toBe('+0.5 pts');
    expect(impactLabel(0.0001, 0.5, 'positive')).toBe('+<0.1 pts');
  });

  it('shows no number for neutral reasons (context such as data quality)', () => {
    expect(impactLabel(0, 0.4, 'neutral')).toBe('—');
    expect(impactLabel(0.3, 0.4, 'neutral')).toBe('—');
  });
});

const insights = (nextActions: RecordInsights['nextActions']): RecordInsights => ({
  objectType: 'deal',
  externalId: '0065g00000000AAAAA',
  scoredAt: '2026-11-20T00:00:00.000Z',
  change: null,
  raise: [],
  probability: 0.4,
  score: 40,
  tier: null,
  dealScore: 2,
  grade: null,
  trend: 'steady',
  previousProbability: null,
  reasons: [],
  nextActions,
  model: null,
  prior: false,
  dataQuality: [],
  history: [],
});

const task = (id: string, title: string, dueDate: unknown) => ({
  id,
  sentence: `Because of ${id}.`,
  severity: 'medium' as const,
  action: { type: 'create_task', title, dueDate },
});

describe('topTaskSuggestion', () => {
  it('takes the highest-ranked create-task action, skipping advice, snoozed and malformed ones', () => {
    const actions = [
      {
        id: 'fix',
        sentence: 'Fix the close date.',
        severity: 'high' as const,
        action: { type: 'update_property', property: 'close_date' },
      },
      task('no-date', 'Call', undefined),
      task('first', 'Follow up with the buyer', '2026-11-23'),
      task('second', 'Add a decision maker', '2026-11-24T00:00:00.000Z'),
    ];
    expect(topTaskSuggestion(insights(actions), new Set())).toEqual({
      subject: 'Follow up with the buyer',
      description: 'Because of first.',
      dueDate: '2026-11-23',
    });
    expect(topTaskSuggestion(insights(actions), new Set(['first']))).toEqual({
      subject: 'Add a decision maker',
      description: 'Because of second.',
      dueDate: '2026-11-24',
    });
    expect(topTaskSuggestion(insights(actions), new Set(['first', 'second']))).toBeNull();
  });

  it('clips the subject to what Task.Subject holds', () => {
    const suggestion = topTaskSuggestion(insights([task('long', 'x'.repeat(400), '2026-11-23')]), new Set());
    expect(suggestion?.subject).toHaveLength(255);
  });
});
