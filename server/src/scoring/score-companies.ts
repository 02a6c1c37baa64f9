import { engagementLevelOf, quantileOf } from './derived.ts';
import type { ScoreDetails } from './details.ts';
import { SCORE_KINDS } from './details.ts';
import { COMPANY_RULES, evaluateRules } from './next-actions.ts';
import type { PortalStats } from './portal-stats.ts';
import { appendHistory, type PreviousScore } from './score-deals.ts';
import type { TenantData, TenantRecord } from './tenant-data.ts';
import { openAt } from './timeline.ts';
import { DAY_MS } from './values.ts';

/**
 * Lonely threshold: the admin's lonely window when saved, else a quarter of the portal's average won-deal
 * sales cycle (30 days until deals have been won).
 */
export function lonelyDaysOf(stats: PortalStats, now: number, saved?: number): number {
  if (saved !== undefined) return saved;
  const cycle = stats.avgWonCycleDays(now);
  return cycle === null ? 30 : Math.max(1, Math.round(cycle / 4));
}

export interface AccountState {
  company: TenantRecord;
  lastTouch: number | null;
  engagement: number;
  openDeals: number;
  /** The evidence the company card shows, computed here once instead of on every card read. */
  lastActivityAt: number | null;
  activities30d: number;
  activities90d: number;
}

function accountState(data: TenantData, stats: PortalStats, company: TenantRecord, now: number): AccountState {
  const members: TenantRecord[] = [company];
  for (const key of data.links.get(company.key) ?? []) {
    const record = data.records.get(key);
    if (record && record.type !== 'company') members.push(record);
  }
  let lastTouch: number | null = null;
  let lastActivityAt: number | null = null;
  let activities30d = 0;
  let activities90d = 0;
  let engagement = 0;
  const seen = new Set<string>();
  const touch = (ms: number | null) => {
    if (ms !== null && ms <= now && (lastTouch === null || ms > lastTouch)) lastTouch = ms;
  };
  for (const record of members) {
    touch(record.createdAt);
    touch(record.updatedAt);
    for (const activity of data.activities.get(record.key) ?? []) {
      if (activity.at > now || seen.has(`${activity.kind}:${activity.id}`)) continue;
      seen.add(`${activity.kind}:${activity.id}`);
      touch(activity.at);
      if (lastActivityAt === null || activity.at > lastActivityAt) lastActivityAt = activity.at;
      const age = (now - activity.at) / DAY_MS;
      if (age <= 30) activities30d += 1;
      if (age <= 90) activities90d += 1;
      if (age <= 180) engagement += Math.exp(-age / 30);
    }
  }
  const openDeals = members.filter((r) => {
    if (r.type !== 'deal') return false;
    const facts = stats.facts.get(r.id);
    return facts !== undefined && facts.outcome === null && openAt(facts, now);
  }).length;
  return { company, lastTouch, engagement, openDeals, lastActivityAt, activities30d, activities90d };
}

/** The portal's account norms a company's engagement level is read against. */
export interface CompanyNorms {
  lonelyDays: number;
  /** Median engagement of the accounts that are not lonely. */
  medianEngagement: number;
  /** The most engaged account's engagement (a company's stored number is relative to it). */
  maxEngagement: number;
}

/** Every company's account state as of now, by id (a full run's input to the norms and the details). */
export function accountStates(data: TenantData, stats: PortalStats, companies: readonly TenantRecord[], now: number): AccountState[] {
  return [...companies].sort((a, b) => a.id.localeCompare(b.id)).map((c) => accountState(data, stats, c, now));
}

const daysSinceTouch = (s: AccountState, now: number): number | null =>
  s.lastTouch === null ? null : Math.floor((now - s.lastTouch) / DAY_MS);

/** Norms over every account of the portal. */
export function companyNormsOf(
  stats: PortalStats,
  states: readonly AccountState[],
  now: number,
  savedLonelyWindowDays?: number,
): CompanyNorms {
  const lonelyDays = lonelyDaysOf(stats, now, savedLonelyWindowDays);
  const active = states.filter((s) => {
    const d = daysSinceTouch(s, now);
    return d !== null && d <= lonelyDays;
  });
  const sorted = active.map((s) => s.engagement).sort((a, b) => a - b);
  return {
    lonelyDays,
    medianEngagement: sorted.length ? quantileOf(sorted, 0.5) : 0,
    maxEngagement: sorted.length ? sorted[sorted.length - 1]! : 0,
  };
}

/** Score details of these accounts, levelled against the portal's norms (a full run's, or stored ones). */
export function companyDetailsAll(
  states: readonly AccountState[],
  norms: CompanyNorms,
  previous: Map<string, PreviousScore>,
  quality: Map<string, Set<string>>,
  now: number,
): Map<string, ScoreDetails> {
  const { lonelyDays, medianEngagement: median, maxEngagement: max } = norms;
  const daysSince = (s: AccountState) => daysSinceTouch(s, now);
  const out = new Map<string, ScoreDetails>();
  for (const s of states) {
    const level = engagementLevelOf(daysSince(s), lonelyDays, s.engagement, median);
    // The stored number is the account's engagement relative to the most engaged account (0..1).
    const probability = max > 0 ? Math.min(1, s.engagement / max) : 0;
    const nextActions = evaluateRules(COMPANY_RULES, {
      companyId: s.company.id,
      name: s.company.properties['name'] ?? null,
      now,
      level,
      lonelyDays,
      daysSinceTouch: daysSince(s),
      openDeals: s.openDeals,
    });
    const prev = previous.get(s.company.id);
    out.set(s.company.id, {
      kind: SCORE_KINDS.company,
      probability,
      score: Math.round(probability * 100),
      tier: level,
      dealScore: null,
      grade: null,
      trend: 'steady',
      previousProbability: prev?.probability ?? null,
      history: appendHistory(prev, probability, now),
      change: null,
      raise: [],
      reasons: [
        {
          source: 'engagement.recency',
          direction: level === 'lonely' ? 'negative' : 'positive',
          impact: 0,
          text:
            daysSince(s) === null
              ? 'Nothing recorded on this account yet'
              : `Last new or updated record or activity ${daysSince(s)} days ago (lonely after ${lonelyDays})`,
        },
        { source: 'account.deals', direction: 'neutral', impact: 0, text: `${s.openDeals} open deal${s.openDeals === 1 ? '' : 's'}` },
      ],
      nextActions: nextActions,
      model: null,
      flags: [],
      dataQuality: [...(quality.get(s.company.key) ?? [])].sort(),
      facts: {
        lonelyDays,
        daysSinceTouch: daysSince(s),
        openDeals: s.openDeals,
        engagement: Math.round(s.engagement * 1000) / 1000,
        lastActivityAt: s.lastActivityAt === null ? null : new Date(s.lastActivityAt).toISOString(),
        activities30d: s.activities30d,
        activities90d: s.activities90d,
      },
      write: { engagementLevel: level, ...(nextActions[0] ? { nextAction: nextActions[0].sentence } : {}) },
      written: null,
    });
  }
  return out;
}
