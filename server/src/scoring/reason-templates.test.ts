import { describe, expect, it } from 'vitest';
import { contactFeatureInfo } from './features/contact-features.ts';
import { dealFeatureInfo } from './features/deal-features.ts';
import type { FeatureInfo, FeatureRow } from './features/types.ts';
import { describeSource, type ReasonDirection, type ReasonFacts } from './reasons.ts';
import { defaultScoringSettings } from './settings.ts';

/**
 * Every reason template × both signs of its contribution: the sentence under Helping must not read as bad
 * news and the one under Hurting must not read as good news. The sources come from the feature catalogs,
 * so a new feature source without cases here fails the coverage test.
 */

const catalog = {
  settings: { ...defaultScoringSettings, excludedFields: [] },
  customFields: [
    { objectType: 'deal' as const, name: 'competitor', label: 'Competitor involved', valueType: 'enumeration' as const },
    { objectType: 'contact' as const, name: 'region', label: 'Region', valueType: 'string' as const },
  ],
};
const infos: FeatureInfo[] = [...dealFeatureInfo(catalog), ...contactFeatureInfo(catalog)];
const allSources = [...new Set(infos.map((i) => i.source))].sort();

/** Phrases that say the factor raises / lowers the odds. */
const HELPING = [/raises the odds/, /faster than won deals/, /win more often/];
const HURTING = [/lowers the odds/, /slower than won deals/i, /win less often/];
/** Facts that read as good or bad news on their own, and wording that compares the record with others. */
const READS_BAD = [/^No /, /^Only /, /pushed/, /passed/, /Moved back/];
const READS_GOOD = [/decision maker is on/, /is scheduled/, /Never moved back/, /faster/];
const COMPARES = [/won deals/, / than /, / vs /];

/** What is wrong with a sentence shown under this direction; empty when direction and wording agree. */
function polarityProblems(sentence: string, direction: ReasonDirection): string[] {
  const [own, opposite] = direction === 'positive' ? [HELPING, HURTING] : [HURTING, HELPING];
  const has = (patterns: RegExp[]) => patterns.some((p) => p.test(sentence));
  const problems: string[] = [];
  if (has(opposite)) problems.push('uses the opposite direction’s wording');
  const readsAgainst = direction === 'positive' ? has(READS_BAD) : has(READS_GOOD);
  if (readsAgainst && !has(own)) problems.push('reads as the opposite news without saying which way the model counts it');
  if (has(COMPARES) && !has(own)) problems.push('compares without saying which way the comparison counts');
  return problems;
}

interface Case {
  row: FeatureRow;
  facts?: ReasonFacts;
}

/** Rows that take each template through each of its branches. */
const CASES: Record<string, Case[]> = {
  'engagement.email': [{ row: { deal_emails_30d: 0, deal_emails_90d: 0 } }, { row: { deal_emails_30d: 2, deal_emails_90d: 5 } }],
  'engagement.call': [{ row: { deal_calls_30d: 0, deal_calls_90d: 0 } }, { row: { deal_calls_30d: 1, deal_calls_90d: 3 } }],
  'engagement.note': [{ row: { deal_notes_30d: 0, deal_notes_90d: 0 } }, { row: { deal_notes_30d: 1, deal_notes_90d: 1 } }],
  'engagement.task': [{ row: { deal_tasks_30d: 0, deal_tasks_90d: 0 } }, { row: { deal_tasks_30d: 3, deal_tasks_90d: 4 } }],
  'engagement.meeting': [
    { row: { deal_days_since_last_meeting: null } },
    { row: { deal_days_since_last_meeting: 0 } },
    { row: { deal_days_since_last_meeting: 12 } },
  ],
  'engagement.recency': [{ row: { deal_days_since_last_activity: null } }, { row: { deal_days_since_last_activity: 4 } }],
  'engagement.volume': [{ row: { deal_activities_30d: 0 } }, { row: { deal_activities_30d: 7 } }],
  'engagement.inbound': [{ row: { deal_inbound_30d: 0 } }, { row: { deal_inbound_30d: 3 } }],
  'engagement.outbound': [{ row: { deal_outbound_30d: 0 } }, { row: { deal_outbound_30d: 9 } }],
  'engagement.history': [
    { row: { deal_activities_to_date: 0 } },
    { row: { deal_activities_to_date: 14, deal_inbound_share: 0.4 } },
    { row: { deal_activities_to_date: 3, deal_inbound_share: null } },
  ],
  'engagement.next': [{ row: { deal_next_activity_scheduled: 1 } }, { row: { deal_next_activity_scheduled: 0 } }],
  'deal.contacts': [{ row: { deal_contacts: 0 } }, { row: { deal_contacts: 1 } }, { row: { deal_contacts: 4 } }],
  'deal.decision_maker': [{ row: { deal_has_decision_maker: 1 } }, { row: { deal_has_decision_maker: 0 } }],
  'deal.time_in_stage': [
    // The case: fewer days than won deals spend.
    { row: {}, facts: { stageLabel: 'Qualified To Buy', daysInStage: 20, wonMedianDaysInStage: 23 } },
    { row: {}, facts: { stageLabel: 'Proposal', daysInStage: 41, wonMedianDaysInStage: 12 } },
    { row: {}, facts: { stageLabel: 'Proposal', daysInStage: 12, wonMedianDaysInStage: 12 } },
    { row: {}, facts: { stageLabel: 'Proposal', daysInStage: 9, wonMedianDaysInStage: null } },
    { row: {}, facts: { daysInStage: null } },
  ],
  'deal.stage': [{ row: {}, facts: { stageLabel: 'Contract Sent' } }],
  'deal.stage_moves': [{ row: { deal_stage_regressions: 0 } }, { row: { deal_stage_regressions: 2 } }],
  'deal.amount': [
    { row: { deal_amount: null } },
    { row: { deal_amount: 12000, deal_amount_change_pct: 0.3 } },
    { row: { deal_amount: 12000, deal_amount_change_pct: 0 } },
  ],
  'deal.age': [{ row: { deal_age_days: 40 } }],
  'deal.close_date': [
    { row: { deal_close_date_pushes: 2 } },
    { row: { deal_close_date_pushes: 0, deal_days_to_close_date: null } },
    { row: { deal_close_date_pushes: 0, deal_days_to_close_date: -5 } },
    { row: { deal_close_date_pushes: 0, deal_days_to_close_date: 30 } },
  ],
  'deal.pipeline': [{ row: { deal_pipeline: 'Sales Pipeline' } }],
  'owner.history': [{ row: { owner_closed_deals: 0, owner_win_rate: null } }, { row: { owner_closed_deals: 20, owner_win_rate: 0.55 } }],
  'company.industry': [{ row: { company_industry: 'Computer Software' } }, { row: { company_industry: null } }],
  'company.employees': [{ row: { company_employees: 250 } }, { row: { company_employees: null } }],
  'company.revenue': [{ row: { company_annual_revenue: 5_000_000 } }, { row: { company_annual_revenue: null } }],
  'company.country': [{ row: { company_country: 'Germany' } }, { row: { company_country: null } }],
  'contact.job_title': [
    { row: {}, facts: { jobTitle: 'VP Sales' } },
    { row: {}, facts: { jobTitle: null } },
  ],
  'contact.country': [{ row: { contact_country: 'France' } }, { row: { contact_country: null } }],
  'contact.lifecycle': [{ row: { contact_days_in_lifecycle: 12 }, facts: { lifecycle: 'lead' } }],
  'contact.age': [{ row: { contact_age_days: 90 } }],
  'contact.deals': [{ row: { contact_open_deals: 0 } }, { row: { contact_open_deals: 2 } }],
  'custom:competitor': [{ row: { deal_custom_competitor: 'Acme' } }, { row: { deal_custom_competitor: null } }],
  'custom:region': [{ row: { contact_custom_region: 'EMEA' } }],
};

const DIRECTIONS: ReasonDirection[] = ['positive', 'negative'];

describe('reason templates × sign', () => {
  it('has cases for every source the feature catalogs produce', () => {
    expect(allSources.filter((source) => !CASES[source])).toEqual([]);
  });

  it('catches the sentence that read as good news under Hurting', () => {
    expect(polarityProblems("In 'Qualified To Buy' 20 days; won deals spend 23", 'negative')).not.toEqual([]);
    expect(polarityProblems('No meeting held yet', 'positive')).not.toEqual([]);
    expect(polarityProblems('A decision maker is on the deal', 'negative')).not.toEqual([]);
    expect(polarityProblems('Moving faster than won deals (20 vs 23 days)', 'negative')).not.toEqual([]);
    expect(polarityProblems('Moving faster than won deals (20 vs 23 days)', 'positive')).toEqual([]);
  });

  const table = allSources.flatMap((source) =>
    (CASES[source] ?? []).flatMap((c, index) => DIRECTIONS.map((direction) => ({ source, index, direction, ...c }))),
  );
  it.each(table)('$source case $index ($direction) agrees with its direction', ({ source, row, facts, direction }) => {
    const sentence = describeSource(source, row, facts ?? {}, infos, direction);
    // A template that fell through to the raw source name is a template that does not exist.
    expect(sentence).not.toBe(source);
    expect({ sentence, problems: polarityProblems(sentence, direction) }).toEqual({ sentence, problems: [] });
  });

  it('words the issue’s time in stage by its direction', () => {
    const facts = { stageLabel: 'Qualified To Buy', daysInStage: 20, wonMedianDaysInStage: 23 };
    expect(describeSource('deal.time_in_stage', {}, facts, infos, 'positive')).toBe(
      "Moving faster than won deals (20 vs 23 days in 'Qualified To Buy')",
    );
    expect(describeSource('deal.time_in_stage', {}, facts, infos, 'negative')).toBe(
      "20 days in 'Qualified To Buy', fewer than the 23 won deals spend there; deals this early in the stage win less often",
    );
  });
});
