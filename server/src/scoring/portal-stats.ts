import type { TenantData } from './tenant-data.ts';
import { type DealFacts, dealFacts } from './timeline.ts';
import { DAY_MS } from './values.ts';

/**
 * Portal-wide norms learnt from closed deals, each answerable "as of t" so that a training snapshot
 * only sees deals that had closed by then: typical days won deals spent per stage, owners' records,
 * the average won-deal sales cycle.
 */
export interface PortalStats {
  facts: Map<string, DealFacts>;
  /** Days won deals spent in a stage: the median, and the admin's stalled-deal percentile (`stalled`). */
  stageDays(stageKeyValue: string, t: number): StageNorm | null;
  owner(ownerId: string | null, t: number): { won: number; lost: number };
  avgWonCycleDays(t: number): number | null;
}

export interface StageNorm {
  median: number;
  stalled: number;
  count: number;
}

interface Stamped {
  at: number;
  value: number;
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function buildPortalStats(data: TenantData): PortalStats {
  const facts = new Map<string, DealFacts>();
  const stageLists = new Map<string, Stamped[]>();
  const ownerLists = new Map<string, { at: number; won: boolean }[]>();
  const cycles: Stamped[] = [];
  for (const deal of data.deals) {
    const f = dealFacts(data, deal);
    facts.set(deal.id, f);
    if (f.outcome === null || f.closedAt === null) continue;
    const owner = deal.properties['owner_id'];
    if (owner) {
      const list = ownerLists.get(owner) ?? [];
      list.push({ at: f.closedAt, won: f.outcome === 'won' });
      ownerLists.set(owner, list);
    }
    if (f.outcome !== 'won') continue;
    if (deal.createdAt !== null) cycles.push({ at: f.closedAt, value: (f.closedAt - deal.createdAt) / DAY_MS });
    for (const visit of f.visits) {
      if (visit.stage?.outcome !== 'open' || visit.to === null || !Number.isFinite(visit.from)) continue;
      const key = `${visit.stage.pipelineId}\u0000${visit.stage.stageId}`;
      const list = stageLists.get(key) ?? [];
      list.push({ at: f.closedAt, value: (visit.to - visit.from) / DAY_MS });
      stageLists.set(key, list);
    }
  }
  for (const list of stageLists.values()) list.sort((a, b) => a.at - b.at);
  for (const list of ownerLists.values()) list.sort((a, b) => a.at - b.at);
  cycles.sort((a, b) => a.at - b.at);

  const cache = new Map<string, StageNorm | null>();
  const stalledQuantile = data.settings.stalledDealPercentile / 100;
  return {
    facts,
    stageDays(key, t) {
      // Cached per day, so it may only count deals closed before t's day began: counting up to t would let
      // the first caller's moment decide what every other moment that day sees, later closes included.
      const day = Math.floor(t / DAY_MS);
      const cacheKey = `${key}\u0000${day}`;
      if (cache.has(cacheKey)) return cache.get(cacheKey) ?? null;
      const dayStart = day * DAY_MS;
      const values = (stageLists.get(key) ?? []).filter((s) => s.at < dayStart).map((s) => s.value);
      values.sort((a, b) => a - b);
      const result =
        values.length < 3 ? null : { median: quantile(values, 0.5), stalled: quantile(values, stalledQuantile), count: values.length };
      cache.set(cacheKey, result);
      return result;
    },
    owner(ownerId, t) {
      let won = 0;
      let lost = 0;
      for (const entry of ownerId ? (ownerLists.get(ownerId) ?? []) : []) {
        if (entry.at > t) break;
        if (entry.won) won += 1;
        else lost += 1;
      }
      return { won, lost };
    },
    avgWonCycleDays(t) {
      const values = cycles.filter((c) => c.at <= t);
      if (values.length === 0) return null;
      return values.reduce((sum, c) => sum + c.value, 0) / values.length;
    },
  };
}
