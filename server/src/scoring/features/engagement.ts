import type { ActivityKind } from '../../store/schema.ts';
import type { TenantActivity } from '../tenant-data.ts';
import { DAY_MS } from '../values.ts';
import type { FeatureInfo, FeatureRow } from './types.ts';

const KINDS: ActivityKind[] = ['email', 'call', 'meeting', 'note', 'task'];
const WINDOWS = [7, 30, 90] as const;
const KIND_LABEL: Record<ActivityKind, string> = { email: 'emails', call: 'calls', meeting: 'meetings', note: 'notes', task: 'tasks' };

/** Engagement features under a prefix (deal_, contact_, company_), all as of t. */
export function engagementFeatureInfo(prefix: string): FeatureInfo[] {
  const out: FeatureInfo[] = [];
  for (const kind of KINDS) {
    for (const days of WINDOWS) {
      out.push({
        name: `${prefix}${kind}s_${days}d`,
        kind: 'numeric',
        source: `engagement.${kind}`,
        label: `${KIND_LABEL[kind]} in the last ${days} days`,
      });
    }
  }
  out.push(
    { name: `${prefix}activities_30d`, kind: 'numeric', source: 'engagement.volume', label: 'activities in the last 30 days' },
    { name: `${prefix}days_since_last_activity`, kind: 'numeric', source: 'engagement.recency', label: 'days since the last activity' },
    { name: `${prefix}days_since_last_meeting`, kind: 'numeric', source: 'engagement.meeting', label: 'days since the last meeting' },
    { name: `${prefix}next_activity_scheduled`, kind: 'numeric', source: 'engagement.next', label: 'next activity scheduled' },
    { name: `${prefix}inbound_30d`, kind: 'numeric', source: 'engagement.inbound', label: 'inbound messages in the last 30 days' },
    { name: `${prefix}outbound_30d`, kind: 'numeric', source: 'engagement.outbound', label: 'outbound messages in the last 30 days' },
    { name: `${prefix}engagement_score`, kind: 'numeric', source: 'engagement.volume', label: 'recency-weighted engagement' },
    ...historyFeatureInfo(prefix),
  );
  return out;
}

/**
 * Engagement over the record's whole life so far: how much of it there was per day of exposure, and of what
 * kind (the buying side writing and calling in, meetings held rather than missed). On ~1,000 rows a few
 * such summaries carry the engagement signal better than 15 windowed counters the trees must combine.
 */
function historyFeatureInfo(prefix: string): FeatureInfo[] {
  return [
    { name: `${prefix}activities_to_date`, kind: 'numeric', source: 'engagement.history', label: 'activities so far' },
    { name: `${prefix}activity_rate`, kind: 'numeric', source: 'engagement.history', label: 'activities per 30 days so far' },
    { name: `${prefix}inbound_to_date`, kind: 'numeric', source: 'engagement.history', label: 'inbound messages so far' },
    { name: `${prefix}inbound_share`, kind: 'numeric', source: 'engagement.history', label: 'share of messages that were inbound' },
    { name: `${prefix}meetings_held`, kind: 'numeric', source: 'engagement.meeting', label: 'meetings held' },
    { name: `${prefix}meetings_missed`, kind: 'numeric', source: 'engagement.meeting', label: 'meetings missed or canceled' },
  ];
}

export interface HistoryCounts {
  total: number;
  inbound: number;
  outbound: number;
  held: number;
  missed: number;
}

const MISSED = new Set(['NO_SHOW', 'CANCELED', 'CANCELLED', 'RESCHEDULED']);

/** Activities stamped <= t (optionally leaving out some, e.g. a deal's own when counting its contacts'). */
export function historyCounts(activities: readonly TenantActivity[], t: number, skip?: ReadonlySet<TenantActivity>): HistoryCounts {
  const out: HistoryCounts = { total: 0, inbound: 0, outbound: 0, held: 0, missed: 0 };
  for (const a of activities) {
    if (a.at > t) break;
    if (skip?.has(a)) continue;
    out.total += 1;
    if (a.direction === 'inbound') out.inbound += 1;
    if (a.direction === 'outbound') out.outbound += 1;
    if (a.kind === 'meeting' && a.outcome !== null) {
      const outcome = a.outcome.toUpperCase();
      if (outcome === 'COMPLETED') out.held += 1;
      else if (MISSED.has(outcome)) out.missed += 1;
    }
  }
  return out;
}

/** Activities per 30 days of exposure (at least one day, so a record an hour old is not extrapolated). */
export const activityRate = (total: number, exposureDays: number | null): number | null =>
  exposureDays === null ? null : Math.round((total / Math.max(1, exposureDays)) * 30 * 1000) / 1000;

export interface EngagementSummary {
  lastActivityAt: number | null;
  lastMeetingAt: number | null;
  nextScheduledAt: number | null;
  /** Earliest activity after t whatever its creation stamp: at "now" everything in the store already exists, so this is what is scheduled. */
  anyFutureAt: number | null;
  score: number;
}

/**
 * Counts activities stamped <= t only. A future activity counts as "scheduled" only when the CRM says it
 * was created by t — otherwise a later-logged meeting would leak into an earlier snapshot.
 */
export function engagementFeatures(
  prefix: string,
  activities: readonly TenantActivity[],
  t: number,
  row: FeatureRow,
  createdAt: number | null = null,
): EngagementSummary {
  const counts = new Map<string, number>();
  let inbound = 0;
  let outbound = 0;
  let total30 = 0;
  let last: number | null = null;
  let lastMeeting: number | null = null;
  let next: number | null = null;
  let anyFuture: number | null = null;
  let score = 0;
  for (const activity of activities) {
    if (activity.at > t) {
      if (anyFuture === null || activity.at < anyFuture) anyFuture = activity.at;
      if (activity.createdAt !== null && activity.createdAt <= t && (next === null || activity.at < next)) next = activity.at;
      continue;
    }
    const age = (t - activity.at) / DAY_MS;
    last = activity.at;
    if (activity.kind === 'meeting') lastMeeting = activity.at;
    if (age <= 180) score += Math.exp(-age / 30);
    if (age > 90) continue;
    for (const days of WINDOWS) {
      if (age <= days) counts.set(`${activity.kind}_${days}`, (counts.get(`${activity.kind}_${days}`) ?? 0) + 1);
    }
    if (age <= 30) {
      total30 += 1;
      if (activity.direction === 'inbound') inbound += 1;
      if (activity.direction === 'outbound') outbound += 1;
    }
  }
  for (const kind of KINDS) for (const days of WINDOWS) row[`${prefix}${kind}s_${days}d`] = counts.get(`${kind}_${days}`) ?? 0;
  row[`${prefix}activities_30d`] = total30;
  row[`${prefix}days_since_last_activity`] = last === null ? null : Math.floor((t - last) / DAY_MS);
  row[`${prefix}days_since_last_meeting`] = lastMeeting === null ? null : Math.floor((t - lastMeeting) / DAY_MS);
  row[`${prefix}next_activity_scheduled`] = next === null ? 0 : 1;
  row[`${prefix}inbound_30d`] = inbound;
  row[`${prefix}outbound_30d`] = outbound;
  row[`${prefix}engagement_score`] = Math.round(score * 1000) / 1000;
  const history = historyCounts(activities, t);
  row[`${prefix}activities_to_date`] = history.total;
  row[`${prefix}activity_rate`] = activityRate(history.total, createdAt === null ? null : (t - createdAt) / DAY_MS);
  row[`${prefix}inbound_to_date`] = history.inbound;
  row[`${prefix}inbound_share`] = history.inbound + history.outbound === 0 ? null : history.inbound / (history.inbound + history.outbound);
  row[`${prefix}meetings_held`] = history.held;
  row[`${prefix}meetings_missed`] = history.missed;
  return { lastActivityAt: last, lastMeetingAt: lastMeeting, nextScheduledAt: next, anyFutureAt: anyFuture, score };
}
