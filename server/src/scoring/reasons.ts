import type { FeatureInfo, FeatureRow, FeatureValue } from './features/types.ts';
import { isIdentifierLike, NO_VALUE_LABELS, type ValueLabels } from './value-labels.ts';

/**
 * Reasons for a rep: TreeSHAP contributions summed per source field (the 45 engagement counters of a deal
 * are a handful of sources), the 3 strongest pushing up and the 3 strongest pushing down, each worded
 * with the record's actual value.
 */
export interface Reason {
  source: string;
  direction: 'positive' | 'negative' | 'neutral';
  /** Summed contribution in log-odds. */
  impact: number;
  text: string;
}

export interface ReasonFacts {
  stageLabel?: string | null;
  daysInStage?: number | null;
  wonMedianDaysInStage?: number | null;
  lifecycle?: string | null;
  jobTitle?: string | null;
  /** The CRM's labels of enumeration values; without them raw values are shown. */
  labels?: ValueLabels;
}

/** An enumeration value as the CRM labels it. */
function labelled(facts: ReasonFacts, objectType: 'deal' | 'contact' | 'company', field: string, value: FeatureValue | undefined): string {
  return (facts.labels ?? NO_VALUE_LABELS).label(objectType, field, String(value));
}

export type ReasonDirection = 'positive' | 'negative';

/**
 * How a fact reads on its own ("No meeting held yet" reads as bad news). When the model's contribution points
 * the other way, the sentence says so instead of leaving a rep to read good news under Hurting.
 */
type Tone = 'good' | 'bad' | 'neutral';
interface Fact {
  text: string;
  tone: Tone;
}
const fact = (text: string, tone: Tone = 'neutral'): Fact => ({ text, tone });
/** A template's result: a plain string is a fact with no tone of its own ("Amount 12,000"). */
type Sentence = string | Fact;

/** The fact, with the model's direction stated when the fact alone would suggest the opposite. */
function worded(sentence: Sentence, direction: ReasonDirection): string {
  const { text, tone } = typeof sentence === 'string' ? fact(sentence) : sentence;
  if (tone === 'bad' && direction === 'positive') return `${text}, yet the model finds this raises the odds here`;
  if (tone === 'good' && direction === 'negative') return `${text}, yet the model finds this lowers the odds here`;
  return text;
}

const n = (v: FeatureValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
const money = (v: number): string => Math.round(v).toLocaleString('en-US');

/** A feature of the row by its name's ending: engagement features carry the record type as a prefix (deal_, contact_, company_). */
type FeatureBySuffix = (suffix: string) => FeatureValue;

function featureBySuffix(row: FeatureRow): FeatureBySuffix {
  return (suffix) => {
    const key = Object.keys(row).find((k) => k.endsWith(suffix));
    return key === undefined ? null : (row[key] ?? null);
  };
}

/** Activity sources (engagement.*), shared by deals and contacts; null for any other source. */
function describeEngagement(source: string, get: FeatureBySuffix): Sentence | null {
  const engagementCount = (kind: string, label: string): Sentence => {
    const v30 = n(get(`_${kind}s_30d`)) ?? 0;
    const v90 = n(get(`_${kind}s_90d`)) ?? 0;
    return v90 === 0
      ? fact(`No ${label} in the last 90 days`, 'bad')
      : `${plural(v30, label.replace(/s$/, ''))} in the last 30 days (${v90} in 90)`;
  };
  switch (source) {
    case 'engagement.meeting': {
      const days = n(get('_days_since_last_meeting'));
      return days === null
        ? fact('No meeting held yet', 'bad')
        : days === 0
          ? 'Last meeting today'
          : `Last meeting ${plural(days, 'day')} ago`;
    }
    case 'engagement.recency': {
      const days = n(get('_days_since_last_activity'));
      return days === null ? fact('No activity logged yet', 'bad') : `Last activity ${plural(days, 'day')} ago`;
    }
    case 'engagement.volume': {
      const count = n(get('_activities_30d')) ?? 0;
      return count === 0
        ? fact('No activity in the last 30 days', 'bad')
        : `${plural(count, 'activity')} in the last 30 days`.replace('activitys', 'activities');
    }
    case 'engagement.email':
      return engagementCount('email', 'emails');
    case 'engagement.call':
      return engagementCount('call', 'calls');
    case 'engagement.note':
      return engagementCount('note', 'notes');
    case 'engagement.task':
      return engagementCount('task', 'tasks');
    case 'engagement.inbound':
      return `${plural(n(get('_inbound_30d')) ?? 0, 'inbound message')} in the last 30 days`;
    case 'engagement.outbound':
      return `${plural(n(get('_outbound_30d')) ?? 0, 'outbound message')} in the last 30 days`;
    case 'engagement.history': {
      const total = n(get('_activities_to_date')) ?? 0;
      const share = n(get('_inbound_share'));
      if (total === 0) return fact('No activity logged yet', 'bad');
      const head = `${plural(total, 'activity')} so far`.replace('activitys', 'activities');
      return share === null ? head : `${head}, ${Math.round(share * 100)}% of messages inbound`;
    }
    case 'engagement.next':
      return n(get('_next_activity_scheduled')) === 1
        ? fact('Next activity is scheduled', 'good')
        : fact('No next activity scheduled', 'bad');
    default:
      return null;
  }
}

/** The deal's own sources (deal.*); null for any other source. */
function describeDeal(source: string, row: FeatureRow, facts: ReasonFacts, direction: ReasonDirection): Sentence | null {
  switch (source) {
    case 'deal.contacts': {
      const c = n(row['deal_contacts']) ?? 0;
      return c === 0
        ? fact('No contact on the deal', 'bad')
        : c === 1
          ? fact('Only one contact on the deal', 'bad')
          : `${c} contacts on the deal`;
    }
    case 'deal.decision_maker':
      return n(row['deal_has_decision_maker']) === 1
        ? fact('A decision maker is on the deal', 'good')
        : fact('No decision maker on the deal', 'bad');
    case 'deal.time_in_stage':
      return describeTimeInStage(facts, direction);
    case 'deal.stage':
      return `In stage '${facts.stageLabel ?? 'unknown'}'`;
    case 'deal.stage_moves': {
      const moves = n(row['deal_stage_regressions']) ?? 0;
      return moves === 0
        ? fact('Never moved back to an earlier stage', 'good')
        : fact(`Moved back to an earlier stage ${plural(moves, 'time')}`, 'bad');
    }
    case 'deal.amount': {
      const amount = n(row['deal_amount']);
      const change = n(row['deal_amount_change_pct']);
      if (amount === null) return 'Amount not set';
      return change !== null && Math.abs(change) >= 0.05
        ? `Amount ${money(amount)} (${change > 0 ? '+' : ''}${Math.round(change * 100)}% since first entered)`
        : `Amount ${money(amount)}`;
    }
    case 'deal.age':
      return `Deal open ${plural(n(row['deal_age_days']) ?? 0, 'day')}`;
    case 'deal.close_date': {
      const pushes = n(row['deal_close_date_pushes']) ?? 0;
      const toClose = n(row['deal_days_to_close_date']);
      if (pushes > 0) return fact(`Close date pushed ${plural(pushes, 'time')}`, 'bad');
      if (toClose === null) return fact('No valid close date', 'bad');
      return toClose < 0 ? fact(`Close date passed ${plural(-toClose, 'day')} ago`, 'bad') : `Close date in ${plural(toClose, 'day')}`;
    }
    case 'deal.pipeline':
      return row['deal_pipeline'] ? `Pipeline '${labelled(facts, 'deal', 'pipeline', row['deal_pipeline'])}'` : "Pipeline 'unknown'";
    default:
      return null;
  }
}

/**
 * Days in stage against won deals' median, worded from the contribution's side: the comparison alone would say
 * "faster is better", but the model may have learned otherwise for this stage (deals that linger in an early
 * stage while the buyer evaluates can win more often), and the sentence must not contradict the score.
 */
function describeTimeInStage(facts: ReasonFacts, direction: ReasonDirection): Sentence {
  const days = facts.daysInStage;
  const stage = `'${facts.stageLabel ?? 'this stage'}'`;
  if (days === null || days === undefined) return 'Time in stage unknown';
  const d = Math.round(days);
  const won = facts.wonMedianDaysInStage;
  const w = won === null || won === undefined ? null : Math.round(won);
  if (w === null) return `${plural(d, 'day')} in ${stage}`;
  if (w === d)
    return `${plural(d, 'day')} in ${stage}, on pace with won deals; deals at this point win ${direction === 'positive' ? 'more' : 'less'} often`;
  const comparison = `${d} vs ${w} days in ${stage}`;
  if (d < w) {
    return direction === 'positive'
      ? `Moving faster than won deals (${comparison})`
      : `${plural(d, 'day')} in ${stage}, fewer than the ${w} won deals spend there; deals this early in the stage win less often`;
  }
  return direction === 'negative'
    ? `Slower than won deals (${comparison})`
    : `${plural(d, 'day')} in ${stage}, more than the ${w} won deals spend there; deals this far into the stage win more often`;
}

/** The people and firm around a record: its owner, company and contact sources; null for any other source. */
function describeParty(source: string, row: FeatureRow, facts: ReasonFacts): string | null {
  switch (source) {
    case 'owner.history': {
      const closed = n(row['owner_closed_deals']) ?? 0;
      const rate = n(row['owner_win_rate']);
      return closed === 0 || rate === null
        ? 'Owner has no closed deals yet'
        : `Owner wins about ${Math.round(rate * 100)}% of ${plural(closed, 'closed deal')}`;
    }
    case 'company.industry':
      return row['company_industry'] ? `Industry: ${labelled(facts, 'company', 'industry', row['company_industry'])}` : 'Industry unknown';
    case 'company.employees': {
      const e = n(row['company_employees']);
      return e === null ? 'Company size unknown' : `Company of ${money(e)} employees`;
    }
    case 'company.revenue': {
      const r = n(row['company_annual_revenue']);
      return r === null ? 'Annual revenue unknown' : `Annual revenue ${money(r)}`;
    }
    case 'company.country':
      return row['company_country'] ? `Company in ${row['company_country']}` : 'Company country unknown';
    case 'contact.job_title':
      return facts.jobTitle ? `Job title: ${facts.jobTitle}` : 'Job title not set';
    case 'contact.country':
      return row['contact_country'] ? `Based in ${row['contact_country']}` : 'Country unknown';
    case 'contact.lifecycle':
      return `Lifecycle stage '${facts.lifecycle ? labelled(facts, 'contact', 'lifecycle', facts.lifecycle) : 'unknown'}' for ${plural(n(row['contact_days_in_lifecycle']) ?? 0, 'day')}`;
    case 'contact.age':
      return `Contact created ${plural(n(row['contact_age_days']) ?? 0, 'day')} ago`;
    case 'contact.deals':
      return `${plural(n(row['contact_open_deals']) ?? 0, 'open deal')}`;
    default:
      return null;
  }
}

/**
 * A customer's custom field (custom:<name>) by its label and the value's label; an identifier-like value (a
 * hash, an id, a URL) is described by what it does to the score instead. Any source no family knows is
 * shown as its name.
 */
function describeOther(source: string, row: FeatureRow, infos: FeatureInfo[], facts: ReasonFacts, direction: ReasonDirection): string {
  if (source.startsWith('custom:')) {
    const info = infos.find((i) => i.source === source && row[i.name] !== undefined);
    const value = info ? row[info.name] : null;
    const label = info?.label ?? source.slice(7);
    if (value === null || value === undefined || value === '') return `${label}: not set`;
    const shown = labelled(facts, info?.name.startsWith('deal_custom_') ? 'deal' : 'contact', source, value);
    if (typeof value === 'string' && isIdentifierLike(shown)) {
      return `${label}: records with this value ${direction === 'positive' ? 'do better' : 'do worse'} than the portal's average`;
    }
    return `${label}: ${shown}`;
  }
  return source;
}

/** One sentence per source, from the feature row and a few facts beside it, written from the contribution's direction. */
export function describeSource(
  source: string,
  row: FeatureRow,
  facts: ReasonFacts,
  infos: FeatureInfo[],
  direction: ReasonDirection,
): string {
  const sentence =
    describeEngagement(source, featureBySuffix(row)) ??
    describeDeal(source, row, facts, direction) ??
    describeParty(source, row, facts) ??
    describeOther(source, row, infos, facts, direction);
  return worded(sentence, direction);
}

export function buildReasons(
  contributions: { feature: string; contribution: number }[],
  infos: FeatureInfo[],
  row: FeatureRow,
  facts: ReasonFacts,
  perSide = 3,
): Reason[] {
  const sourceOf = new Map(infos.map((i) => [i.name, i.source]));
  const bySource = new Map<string, number>();
  for (const c of contributions) {
    const source = sourceOf.get(c.feature) ?? c.feature;
    bySource.set(source, (bySource.get(source) ?? 0) + c.contribution);
  }
  const ranked = [...bySource.entries()].filter(([, v]) => Math.abs(v) > 1e-6);
  const positive = ranked
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, perSide);
  const negative = ranked
    .filter(([, v]) => v < 0)
    .sort((a, b) => a[1] - b[1])
    .slice(0, perSide);
  const word = ([source, impact]: [string, number]): Reason => {
    const direction = impact > 0 ? 'positive' : 'negative';
    return { source, direction, impact, text: describeSource(source, row, facts, infos, direction) };
  };
  return [...positive.map(word), ...negative.map(word)];
}
