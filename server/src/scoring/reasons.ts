import type { FeatureInfo, FeatureRow, FeatureValue } from './features/types.ts';

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
function describeEngagement(source: string, get: FeatureBySuffix): string | null {
  const engagementCount = (kind: string, label: string): string => {
    const v30 = n(get(`_${kind}s_30d`)) ?? 0;
    const v90 = n(get(`_${kind}s_90d`)) ?? 0;
    return v90 === 0 ? `No ${label} in the last 90 days` : `${plural(v30, label.replace(/s$/, ''))} in the last 30 days (${v90} in 90)`;
  };
  switch (source) {
    case 'engagement.meeting': {
      const days = n(get('_days_since_last_meeting'));
      return days === null ? 'No meeting held yet' : days === 0 ? 'Last meeting today' : `Last meeting ${plural(days, 'day')} ago`;
    }
    case 'engagement.recency': {
      const days = n(get('_days_since_last_activity'));
      return days === null ? 'No activity logged yet' : `Last activity ${plural(days, 'day')} ago`;
    }
    case 'engagement.volume':
      return `${plural(n(get('_activities_30d')) ?? 0, 'activity')} in the last 30 days`.replace('activitys', 'activities');
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
      if (total === 0) return 'No activity logged yet';
      const head = `${plural(total, 'activity')} so far`.replace('activitys', 'activities');
      return share === null ? head : `${head}, ${Math.round(share * 100)}% of messages inbound`;
    }
    case 'engagement.next':
      return n(get('_next_activity_scheduled')) === 1 ? 'Next activity is scheduled' : 'No next activity scheduled';
    default:
      return null;
  }
}

/** The deal's own sources (deal.*); null for any other source. */
function describeDeal(source: string, row: FeatureRow, facts: ReasonFacts): string | null {
  switch (source) {
    case 'deal.contacts': {
      const c = n(row['deal_contacts']) ?? 0;
      return c === 0 ? 'No contact on the deal' : c === 1 ? 'Only one contact on the deal' : `${c} contacts on the deal`;
    }
    case 'deal.decision_maker':
      return n(row['deal_has_decision_maker']) === 1 ? 'A decision maker is on the deal' : 'No decision maker on the deal';
    case 'deal.time_in_stage': {
      const days = facts.daysInStage;
      if (days === null || days === undefined) return 'Time in stage unknown';
      const won = facts.wonMedianDaysInStage;
      const head = `In '${facts.stageLabel ?? 'this stage'}' ${plural(Math.round(days), 'day')}`;
      return won === null || won === undefined ? head : `${head}; won deals spend ${Math.round(won)}`;
    }
    case 'deal.stage':
      return `In stage '${facts.stageLabel ?? 'unknown'}'`;
    case 'deal.stage_moves':
      return `Moved back to an earlier stage ${plural(n(row['deal_stage_regressions']) ?? 0, 'time')}`;
    case 'deal.amount': {
      const amount = n(row['deal_amount']);
      const change = n(row['deal_amount_change_pct']);
      if (amount === null) return 'No valid amount';
      return change !== null && Math.abs(change) >= 0.05
        ? `Amount ${money(amount)} (${change > 0 ? '+' : ''}${Math.round(change * 100)}% since first entered)`
        : `Amount ${money(amount)}`;
    }
    case 'deal.age':
      return `Deal open ${plural(n(row['deal_age_days']) ?? 0, 'day')}`;
    case 'deal.close_date': {
      const pushes = n(row['deal_close_date_pushes']) ?? 0;
      const toClose = n(row['deal_days_to_close_date']);
      if (pushes > 0) return `Close date pushed ${plural(pushes, 'time')}`;
      if (toClose === null) return 'No valid close date';
      return toClose < 0 ? `Close date passed ${plural(-toClose, 'day')} ago` : `Close date in ${plural(toClose, 'day')}`;
    }
    case 'deal.pipeline':
      return `Pipeline '${row['deal_pipeline'] ?? 'unknown'}'`;
    default:
      return null;
  }
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
      return row['company_industry'] ? `Industry: ${row['company_industry']}` : 'Industry unknown';
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
      return facts.jobTitle ? `Job title: ${facts.jobTitle}` : 'No job title';
    case 'contact.country':
      return row['contact_country'] ? `Based in ${row['contact_country']}` : 'Country unknown';
    case 'contact.lifecycle':
      return `Lifecycle stage '${facts.lifecycle ?? 'unknown'}' for ${plural(n(row['contact_days_in_lifecycle']) ?? 0, 'day')}`;
    case 'contact.age':
      return `Contact created ${plural(n(row['contact_age_days']) ?? 0, 'day')} ago`;
    case 'contact.deals':
      return `${plural(n(row['contact_open_deals']) ?? 0, 'open deal')}`;
    default:
      return null;
  }
}

/** A customer's custom field (custom:<name>) by its label and value; any source no family knows is shown as its name. */
function describeOther(source: string, row: FeatureRow, infos: FeatureInfo[]): string {
  if (source.startsWith('custom:')) {
    const info = infos.find((i) => i.source === source && row[i.name] !== undefined);
    const value = info ? row[info.name] : null;
    return `${info?.label ?? source.slice(7)}: ${value === null || value === undefined || value === '' ? 'not set' : String(value)}`;
  }
  return source;
}

/** One sentence per source, from the feature row and a few facts beside it. */
export function describeSource(source: string, row: FeatureRow, facts: ReasonFacts, infos: FeatureInfo[]): string {
  return (
    describeEngagement(source, featureBySuffix(row)) ??
    describeDeal(source, row, facts) ??
    describeParty(source, row, facts) ??
    describeOther(source, row, infos)
  );
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
  const word = ([source, impact]: [string, number]): Reason => ({
    source,
    direction: impact > 0 ? 'positive' : 'negative',
    impact,
    text: describeSource(source, row, facts, infos),
  });
  return [...positive.map(word), ...negative.map(word)];
}
