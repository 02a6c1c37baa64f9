import { describe, expect, it } from 'vitest';
import type { FeatureInfo } from './features/types.ts';
import { buildReasons } from './reasons.ts';

const infos: FeatureInfo[] = [
  { name: 'deal_meetings_30d', kind: 'numeric', source: 'engagement.meeting', label: '' },
  { name: 'deal_days_since_last_meeting', kind: 'numeric', source: 'engagement.meeting', label: '' },
  { name: 'deal_contacts', kind: 'numeric', source: 'deal.contacts', label: '' },
  { name: 'deal_days_in_stage', kind: 'numeric', source: 'deal.time_in_stage', label: '' },
  { name: 'deal_days_in_stage_ratio', kind: 'numeric', source: 'deal.time_in_stage', label: '' },
  { name: 'deal_amount', kind: 'numeric', source: 'deal.amount', label: '' },
  { name: 'deal_custom_competitor_involved', kind: 'categorical', source: 'custom:competitor_involved', label: 'Competitor involved' },
  { name: 'owner_win_rate', kind: 'numeric', source: 'owner.history', label: '' },
  { name: 'owner_closed_deals', kind: 'numeric', source: 'owner.history', label: '' },
];
const row = {
  deal_meetings_30d: 2,
  deal_days_since_last_meeting: 3,
  deal_contacts: 1,
  deal_days_in_stage: 41,
  deal_days_in_stage_ratio: 3.4,
  deal_amount: 12000,
  deal_custom_competitor_involved: 'direct_competitor',
  owner_win_rate: 0.55,
  owner_closed_deals: 20,
};

describe('reasons', () => {
  it('groups contributions by source and words them with the actual values', () => {
    const reasons = buildReasons(
      [
        { feature: 'deal_meetings_30d', contribution: 0.3 },
        { feature: 'deal_days_since_last_meeting', contribution: 0.2 },
        { feature: 'deal_contacts', contribution: -0.4 },
        { feature: 'deal_days_in_stage', contribution: -0.2 },
        { feature: 'deal_days_in_stage_ratio', contribution: -0.1 },
        { feature: 'deal_custom_competitor_involved', contribution: -0.05 },
        { feature: 'owner_win_rate', contribution: 0.01 },
        { feature: 'deal_amount', contribution: 0.02 },
      ],
      infos,
      row,
      { stageLabel: 'Proposal', daysInStage: 41, wonMedianDaysInStage: 12 },
    );
    expect(reasons.map((r) => [r.direction, r.text])).toEqual([
      ['positive', 'Last meeting 3 days ago'],
      ['positive', 'Amount 12,000'],
      ['positive', 'Owner wins about 55% of 20 closed deals'],
      ['negative', 'Only one contact on the deal'],
      ['negative', "Slower than won deals (41 vs 12 days in 'Proposal')"],
      ['negative', 'Competitor involved: direct_competitor'],
    ]);
    expect(reasons[0]!.impact).toBeCloseTo(0.5);
  });

  it('keeps at most three per side and drops zero contributions', () => {
    const many = infos.map((info) => ({ feature: info.name, contribution: 0.1 }));
    expect(buildReasons(many, infos, row, {}).length).toBe(3);
    expect(buildReasons([{ feature: 'deal_amount', contribution: 0 }], infos, row, {})).toEqual([]);
  });
});
