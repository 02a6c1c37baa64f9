import { contactFeatures } from './features/contact-features.ts';
import { dealFeatures } from './features/deal-features.ts';
import type { FeatureInfo, FeatureRow } from './features/types.ts';
import type { PortalStats } from './portal-stats.ts';
import { type LiveModel, projectRow } from './runtime.ts';
import type { TenantActivity, TenantData, TenantRecord } from './tenant-data.ts';
import type { DealFacts } from './timeline.ts';
import { DAY_MS } from './values.ts';

/**
 * "What would raise it": changes a rep can make today, each with the model's estimate of the probability
 * if it were done. The estimate is not a rule of thumb: the change is applied to the record's data as the CRM
 * would hold it afterwards (a call logged now, a meeting booked for tomorrow, a new close date), the same
 * feature code builds the record's row from that, and the same model scores it. So doing the change in the
 * CRM and rescoring at the same moment gives exactly the estimate (tested end to end).
 */
export type RaiseAction = 'log_call' | 'book_meeting' | 'send_email' | 'update_close_date';

export interface RaiseSuggestion {
  action: RaiseAction;
  /** What to do, for a rep: "Log a call", "Move the close date to 2 Jan". */
  label: string;
  /** The model's estimate of the probability once done. */
  probability: number;
  /** Estimated change in probability points (1 decimal, > 0). */
  points: number;
}

/** A suggestion is shown only when the model says it helps by at least this much: below, it is noise. */
export const MIN_RAISE_POINTS = 1;
const MAX_SUGGESTIONS = 3;
/** A booked meeting is for tomorrow; a moved close date lands a month out (the length of a typical next step). */
const MEETING_LEAD_MS = DAY_MS;
const CLOSE_DATE_MOVE_MS = 30 * DAY_MS;

/**
 * Sources a rep changes by working the record: activities, the close date, who is on the deal. Everything
 * else (firmographics, stage history, owner record, custom fields) is not the rep's to change for a better
 * number, so a change that would move any other model input is not suggested.
 */
export function isRepActionable(info: Pick<FeatureInfo, 'source'>): boolean {
  return info.source.startsWith('engagement.') || info.source === 'deal.close_date' || info.source === 'deal.contacts';
}

const HYPOTHETICAL_ID = 'closewise:hypothetical';

function activity(kind: TenantActivity['kind'], at: number, now: number, direction: TenantActivity['direction']): TenantActivity {
  return { kind, id: `${HYPOTHETICAL_ID}:${kind}`, at, direction, createdAt: now, outcome: kind === 'meeting' ? 'SCHEDULED' : null };
}

/** The record's activities with one more, kept in time order (the feature code reads them in order). */
function withActivity(list: readonly TenantActivity[], added: TenantActivity): TenantActivity[] {
  const index = list.findIndex((a) => a.at > added.at);
  return index < 0 ? [...list, added] : [...list.slice(0, index), added, ...list.slice(index)];
}

/**
 * Runs `build` with `key`'s activities replaced. The feature code reads activities from the portal's map,
 * which holds every record's; copying it per hypothetical would cost O(portal) per record, so the one entry
 * is swapped and restored around a synchronous build (nothing else can run in between).
 */
function withActivities<T>(data: TenantData, key: string, activities: TenantActivity[], build: () => T): T {
  const had = data.activities.has(key);
  const original = data.activities.get(key);
  data.activities.set(key, activities);
  try {
    return build();
  } finally {
    if (had) data.activities.set(key, original!);
    else data.activities.delete(key);
  }
}

const dayMonth = (ms: number) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(ms);

/** The record's row with `property` set to `value` from `now` on (a new history point, as an edit makes). */
function recordWithValue(record: TenantRecord, property: string, value: string, now: number): TenantRecord {
  const points = record.history.get(property) ?? [];
  const history = new Map(record.history);
  history.set(property, [...points.filter((p) => p.at <= now), { at: now, value }]);
  return { ...record, properties: { ...record.properties, [property]: value }, history };
}

interface Candidate {
  action: RaiseAction;
  label: string;
  row: FeatureRow;
}

/** True when the hypothetical moved only rep-actionable model inputs (and at least one). */
function onlyActionableMoved(before: FeatureRow, after: FeatureRow, features: readonly FeatureInfo[]): boolean {
  let moved = false;
  for (const info of features) {
    if ((before[info.name] ?? null) === (after[info.name] ?? null)) continue;
    if (!isRepActionable(info)) return false;
    moved = true;
  }
  return moved;
}

function engagementCandidates(
  data: TenantData,
  key: string,
  now: number,
  kinds: readonly RaiseAction[],
  build: () => FeatureRow,
): Candidate[] {
  const list = data.activities.get(key) ?? [];
  const plans: Record<string, { label: string; added: TenantActivity }> = {
    log_call: { label: 'Log a call', added: activity('call', now, now, 'outbound') },
    book_meeting: { label: 'Book a meeting', added: activity('meeting', now + MEETING_LEAD_MS, now, null) },
    send_email: { label: 'Send an email', added: activity('email', now, now, 'outbound') },
  };
  return kinds
    .filter((k) => plans[k])
    .map((action) => ({
      action,
      label: plans[action]!.label,
      row: withActivities(data, key, withActivity(list, plans[action]!.added), build),
    }));
}

/** What one record's suggestions are chosen from: its current score and the rows of its hypotheticals. */
export interface RaiseCandidates {
  id: string;
  current: { probability: number; row: FeatureRow };
  candidates: Candidate[];
}

/**
 * Scores every record's hypotheticals with `model` in one batch (one inference call for the lot, not one
 * per record) and keeps, per record, up to three that raise the estimate by at least MIN_RAISE_POINTS.
 */
export async function chooseSuggestions(model: LiveModel, items: readonly RaiseCandidates[]): Promise<Map<string, RaiseSuggestion[]>> {
  const kept = items.map((item) => item.candidates.filter((c) => onlyActionableMoved(item.current.row, c.row, model.features)));
  const rows = kept.flatMap((list) => list.map((c) => projectRow(c.row, model.features)));
  const estimates = rows.length > 0 ? await model.scorer.predict(rows) : new Float64Array();
  const out = new Map<string, RaiseSuggestion[]>();
  let next = 0;
  items.forEach((item, i) => {
    const suggestions = kept[i]!.map((c) => {
      const probability = estimates[next++]!;
      return { action: c.action, label: c.label, probability, points: Math.round((probability - item.current.probability) * 1000) / 10 };
    });
    out.set(
      item.id,
      suggestions
        .filter((s) => s.points >= MIN_RAISE_POINTS)
        .sort((a, b) => b.points - a.points || a.action.localeCompare(b.action))
        .slice(0, MAX_SUGGESTIONS),
    );
  });
  return out;
}

/** The hypotheticals of one open deal at `now`: a call, a meeting, and a passed close date moved. */
export function dealRaiseCandidates(
  data: TenantData,
  stats: PortalStats,
  facts: DealFacts,
  current: { probability: number; row: FeatureRow; closeDate: number | null },
  now: number,
): RaiseCandidates {
  const build = (f: DealFacts = facts) => dealFeatures(data, stats, f, now).row;
  const candidates = engagementCandidates(data, facts.record.key, now, ['log_call', 'book_meeting'], () => build());
  // Only a close date that has passed (or was never set) is the rep's to fix; moving a future one is a push.
  if (current.closeDate === null || current.closeDate < now) {
    const today = new Date(now);
    const target = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + CLOSE_DATE_MOVE_MS;
    const record = recordWithValue(facts.record, 'close_date', new Date(target).toISOString(), now);
    candidates.push({ action: 'update_close_date', label: `Move the close date to ${dayMonth(target)}`, row: build({ ...facts, record }) });
  }
  return { id: facts.record.id, current, candidates };
}

/** The hypotheticals of one contact at `now`: a call, a meeting, an email. */
export function contactRaiseCandidates(
  data: TenantData,
  stats: PortalStats,
  contact: TenantRecord,
  current: { probability: number; row: FeatureRow },
  now: number,
): RaiseCandidates {
  const build = () => contactFeatures(data, stats, contact, now).row;
  return {
    id: contact.id,
    current,
    candidates: engagementCandidates(data, contact.key, now, ['log_call', 'book_meeting', 'send_email'], build),
  };
}
