import type { PortalStats } from '../portal-stats.ts';
import { linkedAt, type TenantData } from '../tenant-data.ts';
import { changesUpTo, type DealFacts, valueAt, visitAt } from '../timeline.ts';
import { DAY_MS, parseDate, parseNumber, parseText, type QualityLog } from '../values.ts';
import { type EngagementSummary, engagementFeatureInfo, engagementFeatures } from './engagement.ts';
import {
  contactAggregateFeatures,
  contactAggregateInfo,
  customFeatureInfo,
  customFeatures,
  FIRMOGRAPHIC_FEATURES,
  firmographicFeatures,
  isDecisionMaker,
  isExcluded,
} from './profile.ts';
import type { FeatureCatalogData, FeatureInfo, FeatureRow } from './types.ts';

const DEAL_OWN: FeatureInfo[] = [
  { name: 'deal_amount', kind: 'numeric', source: 'deal.amount', label: 'amount' },
  { name: 'deal_amount_changes', kind: 'numeric', source: 'deal.amount', label: 'amount changes' },
  { name: 'deal_amount_change_pct', kind: 'numeric', source: 'deal.amount', label: 'amount change since the first value' },
  { name: 'deal_amount_per_employee', kind: 'numeric', source: 'deal.amount', label: 'amount per employee of the company' },
  { name: 'deal_age_days', kind: 'numeric', source: 'deal.age', label: 'deal age in days' },
  { name: 'deal_pipeline', kind: 'categorical', source: 'deal.pipeline', label: 'pipeline' },
  { name: 'deal_stage_position', kind: 'numeric', source: 'deal.stage', label: 'stage' },
  { name: 'deal_stage_probability', kind: 'numeric', source: 'deal.stage', label: 'stage probability' },
  { name: 'deal_stage_regressions', kind: 'numeric', source: 'deal.stage_moves', label: 'moves back to earlier stages' },
  { name: 'deal_days_in_stage', kind: 'numeric', source: 'deal.time_in_stage', label: 'days in the current stage' },
  { name: 'deal_days_in_stage_ratio', kind: 'numeric', source: 'deal.time_in_stage', label: 'days in stage vs won deals' },
  { name: 'deal_close_date_pushes', kind: 'numeric', source: 'deal.close_date', label: 'close-date pushes' },
  { name: 'deal_days_to_close_date', kind: 'numeric', source: 'deal.close_date', label: 'days to the close date' },
  { name: 'deal_contacts', kind: 'numeric', source: 'deal.contacts', label: 'contacts on the deal' },
  { name: 'deal_has_decision_maker', kind: 'numeric', source: 'deal.decision_maker', label: 'decision maker on the deal' },
  { name: 'owner_win_rate', kind: 'numeric', source: 'owner.history', label: "owner's win rate" },
  { name: 'owner_closed_deals', kind: 'numeric', source: 'owner.history', label: "owner's closed deals" },
];

export function dealFeatureInfo(data: FeatureCatalogData): FeatureInfo[] {
  return [
    ...DEAL_OWN,
    ...engagementFeatureInfo('deal_'),
    ...FIRMOGRAPHIC_FEATURES,
    ...customFeatureInfo(data, 'deal'),
    ...contactAggregateInfo(data),
  ].filter((info) => !isExcluded(data, info));
}

/** Facts beside the feature row that reasons and next actions word with actual values. */
export interface DealContext {
  stageLabel: string | null;
  stageKey: string | null;
  daysInStage: number | null;
  wonMedianDaysInStage: number | null;
  /** Days in this stage beyond which a deal is stalled (the stalled-deal percentile of won deals). */
  stalledAfterDays: number | null;
  contacts: number;
  hasDecisionMaker: boolean;
  closeDate: number | null;
  amount: number | null;
  engagement: EngagementSummary;
}

export function dealFeatures(
  data: TenantData,
  stats: PortalStats,
  facts: DealFacts,
  t: number,
  log?: QualityLog,
): { row: FeatureRow; context: DealContext } {
  const deal = facts.record;
  const row: FeatureRow = {};
  const ctx = (field: string) => ({ log, field: `deal.${field}`, recordKey: deal.key });

  const amount = parseNumber(valueAt(deal, 'amount', t), ctx('amount'), { nonNegative: true });
  const amounts = changesUpTo(deal, 'amount', t)
    .map((p) => parseNumber(p.value, { field: 'deal.amount' }, { nonNegative: true }))
    .filter((v): v is number => v !== null);
  row['deal_amount'] = amount;
  row['deal_amount_changes'] = Math.max(0, amounts.length - 1);
  row['deal_amount_change_pct'] = amount !== null && amounts.length > 0 && amounts[0]! > 0 ? (amount - amounts[0]!) / amounts[0]! : null;
  row['deal_age_days'] = deal.createdAt === null ? null : Math.floor((t - deal.createdAt) / DAY_MS);
  row['deal_pipeline'] = facts.pipelineId;

  const visit = visitAt(facts, t);
  const stage = visit?.stage ?? null;
  if (visit?.stageId && !stage) log?.note('deal.stage', 'unknown_stage', deal.key);
  row['deal_stage_position'] = stage ? stage.position : null;
  row['deal_stage_probability'] = stage?.probability ?? null;
  let regressions = 0;
  for (let i = 1; i < facts.visits.length; i += 1) {
    const prev = facts.visits[i - 1]!;
    const cur = facts.visits[i]!;
    if (cur.from <= t && prev.stage && cur.stage && cur.stage.order < prev.stage.order) regressions += 1;
  }
  row['deal_stage_regressions'] = regressions;
  const daysInStage = visit && Number.isFinite(visit.from) ? (t - visit.from) / DAY_MS : null;
  const stageKeyValue = stage ? `${stage.pipelineId}\u0000${stage.stageId}` : null;
  const norm = stageKeyValue ? stats.stageDays(stageKeyValue, t) : null;
  row['deal_days_in_stage'] = daysInStage === null ? null : Math.floor(daysInStage);
  row['deal_days_in_stage_ratio'] = daysInStage !== null && norm && norm.median > 0 ? daysInStage / norm.median : null;

  const closeDates = changesUpTo(deal, 'close_date', t).map((p) => parseDate(p.value, { field: 'deal.close_date' }));
  let pushes = 0;
  for (let i = 1; i < closeDates.length; i += 1) {
    const a = closeDates[i - 1];
    const b = closeDates[i];
    if (a !== null && a !== undefined && b !== null && b !== undefined && b > a) pushes += 1;
  }
  const closeDate = parseDate(valueAt(deal, 'close_date', t), ctx('close_date'), t);
  row['deal_close_date_pushes'] = pushes;
  row['deal_days_to_close_date'] = closeDate === null ? null : Math.round((closeDate - t) / DAY_MS);

  const contacts = linkedAt(data, deal.key, 'contact', t);
  const hasDecisionMaker = contacts.some((c) => isDecisionMaker(parseText(valueAt(c, 'job_title', t), { field: 'contact.job_title' })));
  row['deal_contacts'] = contacts.length;
  row['deal_has_decision_maker'] = hasDecisionMaker ? 1 : 0;
  contactAggregateFeatures(data, contacts, t, row);

  // The owner at t: deals are often reassigned at close (to account management), which would say how it ended.
  const owner = stats.owner(valueAt(deal, 'owner_id', t), t);
  const closed = owner.won + owner.lost;
  // Smoothed towards 50% so an owner with two deals is not called a 100% closer.
  row['owner_win_rate'] = (owner.won + 2) / (closed + 4);
  row['owner_closed_deals'] = closed;

  const engagement = engagementFeatures('deal_', data.activities.get(deal.key) ?? [], t, row, deal.createdAt);
  firmographicFeatures(linkedAt(data, deal.key, 'company', t)[0], t, row, log);
  // What a deal asks relative to the buyer's size: an ask far above what such a company spends is a warning.
  const employees = row['company_employees'];
  row['deal_amount_per_employee'] = amount !== null && typeof employees === 'number' && employees > 0 ? amount / employees : null;
  customFeatures(data, deal, t, row, log);
  for (const name of data.settings.excludedFields) delete row[name];

  return {
    row,
    context: {
      stageLabel: stage?.label ?? visit?.stageId ?? null,
      stageKey: stageKeyValue,
      daysInStage,
      wonMedianDaysInStage: norm?.median ?? null,
      stalledAfterDays: norm?.stalled ?? null,
      contacts: contacts.length,
      hasDecisionMaker,
      closeDate,
      amount,
      engagement,
    },
  };
}
