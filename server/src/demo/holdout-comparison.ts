import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { rocAuc } from '../ml/metrics.ts';
import type { HoldoutReport } from '../scoring/train.ts';

/**
 * A model's hold-out, cut where each comparison means something (issue #15):
 * - **first snapshot** (each record as it was created, or at its first proposal): the synthetic portal plants
 *   each outcome's probability from what the CRM shows then, so the planted probability ("oracle") is the
 *   ceiling there, and the model's AUC ÷ the oracle's says how close it gets;
 * - **later snapshots**: activities and stage moves that follow the outcome are visible, so the oracle is no
 *   ceiling (a model may beat it); the model is compared with a stated simple baseline on the same rows
 *   instead: the better of two single signals, activities logged so far and the record's age, each read in
 *   whichever direction ranks these very rows best (an optimistic baseline, hard to beat on purpose).
 */
export interface HoldoutSlice {
  slice: 'first snapshot' | 'later snapshots';
  rows: number;
  records: number;
  model: number;
  /** Planted probabilities' AUC on the same rows; null when the portal plants none for this target. */
  oracle: number | null;
  baseline: { name: 'activities so far' | 'record age'; auc: number } | null;
}

type ObjectType = 'deal' | 'contact';

/** Activity times per record (sorted), and creation times, from the portal as it was loaded into the CRM. */
export interface PortalTimes {
  created: Map<string, number>;
  activities: Map<string, number[]>;
}

/** Keyed by `idOf(seedId)`: the CRM's ids, which the hold-out carries (the seed's own ids by default). */
export function portalTimes(
  portal: PortalData,
  objectType: ObjectType,
  idOf: (seedId: string) => string | undefined = (id) => id,
): PortalTimes {
  const records = objectType === 'deal' ? portal.deals : portal.contacts;
  const created = new Map(records.map((r) => [idOf(r.id) ?? r.id, Date.parse(r.createdAt)]));
  const activities = new Map<string, number[]>();
  for (const activity of portal.activities) {
    const at = Date.parse(activity.timestamp);
    for (const seedId of objectType === 'deal' ? activity.dealIds : activity.contactIds) {
      const id = idOf(seedId) ?? seedId;
      const list = activities.get(id) ?? [];
      list.push(at);
      activities.set(id, list);
    }
  }
  for (const list of activities.values()) list.sort((a, b) => a - b);
  return { created, activities };
}

/** How many of `sorted` are at or before `t` (binary search). */
function countUpTo(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const bothWays = (labels: number[], scores: number[]): number => {
  const auc = rocAuc(labels, scores);
  return Math.max(auc, 1 - auc);
};

function baselineOf(times: PortalTimes, ids: string[], at: number[], labels: number[]): HoldoutSlice['baseline'] {
  if (ids.some((id) => !times.created.has(id))) return null;
  const activities = ids.map((id, k) => countUpTo(times.activities.get(id) ?? [], at[k] as number));
  const age = ids.map((id, k) => (at[k] as number) - (times.created.get(id) as number));
  const byActivities = bothWays(labels, activities);
  const byAge = bothWays(labels, age);
  return byActivities >= byAge ? { name: 'activities so far', auc: byActivities } : { name: 'record age', auc: byAge };
}

export function holdoutSlices(
  holdout: HoldoutReport,
  times: PortalTimes,
  /** Planted probability per record id, when the portal has one for this target. */
  planted: Record<string, number> | undefined,
): HoldoutSlice[] {
  const out: HoldoutSlice[] = [];
  for (const slice of ['first snapshot', 'later snapshots'] as const) {
    const keep = holdout.primary.map((p) => (slice === 'first snapshot' ? p : !p));
    const pick = <T>(xs: readonly T[]): T[] => xs.filter((_, k) => keep[k]);
    const labels = pick(holdout.labels);
    if (!labels.includes(0) || !labels.includes(1)) continue;
    const ids = pick(holdout.recordIds);
    const known = planted ? ids.map((id) => planted[id]) : [];
    out.push({
      slice,
      rows: labels.length,
      records: new Set(ids).size,
      model: rocAuc(labels, pick(holdout.predictions)),
      oracle: planted && known.every((p) => p !== undefined) ? rocAuc(labels, known as number[]) : null,
      baseline: baselineOf(times, ids, pick(holdout.times), labels),
    });
  }
  return out;
}
