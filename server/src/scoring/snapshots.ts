import type { PortalStats } from './portal-stats.ts';
import type { TenantData } from './tenant-data.ts';
import { valueAt } from './timeline.ts';
import { DAY_MS, parseDate } from './values.ts';

export type ModelTarget = 'deal_win_at_creation' | 'deal_win_after_proposal' | 'contact_close_90d' | 'contact_fit';

/** One training example: a record as of moment t, with the outcome that followed. */
export interface Snapshot {
  recordId: string;
  t: number;
  label: 0 | 1;
  /** The record's first snapshot for this target: the hold-out is measured on these, one per record. */
  primary: boolean;
  /**
   * Orders records for the time-based hold-out. Deals: when they closed, so the model is tested on outcomes
   * that came after everything it trained on (ordering by creation would hold out only the fast closers).
   * Contacts: when they were created, i.e. when their 90-day window ends.
   */
  order: number;
}

export const CONVERSION_WINDOW_DAYS = 90;
/** Moments after the anchor (creation or first proposal) at which more snapshots are drawn. */
const DEAL_CREATION_OFFSETS = [0, 7, 21, 45, 90];
// Late snapshots teach the models what a deal still open after months looks like (the forecast needs that).
const DEAL_PROPOSAL_OFFSETS = [0, 14, 30, 60, 90, 150];
const CONTACT_OFFSETS = [0, 14, 30, 60];

/** When a contact became a customer: the lifecycle history's first "customer", else the stated date. */
export function conversionTime(data: TenantData, contactId: string): number | null {
  const contact = data.records.get(`contact:${contactId}`);
  if (!contact) return null;
  const history = contact.history.get('lifecycle') ?? [];
  const first = history.find((p) => p.value === 'customer' || p.value === 'evangelist');
  if (first) return first.at;
  const stated = parseDate(contact.properties['became_customer_at'], { field: 'contact.became_customer_at' });
  if (stated !== null) return stated;
  if (history.length === 0 && (contact.properties['lifecycle'] === 'customer' || contact.properties['lifecycle'] === 'evangelist')) {
    return contact.updatedAt ?? contact.createdAt;
  }
  return null;
}

/** A stable order (the trainer's validation split and subsampling depend on row order). */
const stable = (snapshots: Snapshot[]): Snapshot[] =>
  snapshots.sort((a, b) => a.order - b.order || a.recordId.localeCompare(b.recordId) || a.t - b.t);

export function dealSnapshots(stats: PortalStats, target: 'deal_win_at_creation' | 'deal_win_after_proposal'): Snapshot[] {
  const out: Snapshot[] = [];
  for (const facts of stats.facts.values()) {
    const created = facts.record.createdAt;
    if (facts.outcome === null || facts.closedAt === null || created === null) continue;
    const label = facts.outcome === 'won' ? 1 : 0;
    const anchor = target === 'deal_win_at_creation' ? created : facts.proposalAt;
    if (anchor === null) continue;
    // The creation model covers a deal's life before the proposal; the proposal model the rest.
    const end = target === 'deal_win_at_creation' ? Math.min(facts.closedAt, facts.proposalAt ?? Number.POSITIVE_INFINITY) : facts.closedAt;
    const offsets = target === 'deal_win_at_creation' ? DEAL_CREATION_OFFSETS : DEAL_PROPOSAL_OFFSETS;
    let first = true;
    for (const days of offsets) {
      const t: number = anchor + days * DAY_MS;
      if (t >= end && !(first && t === anchor && t < facts.closedAt)) break;
      out.push({ recordId: facts.record.id, t, label, primary: first, order: facts.closedAt });
      first = false;
    }
  }
  return stable(out);
}

/**
 * Contacts: "becomes a customer within 90 days after t", drawn only where the 90 days have passed by now,
 * and only while the contact is not yet a customer at t.
 */
export function contactSnapshots(data: TenantData, now: number, target: 'contact_close_90d' | 'contact_fit'): Snapshot[] {
  const out: Snapshot[] = [];
  const window = CONVERSION_WINDOW_DAYS * DAY_MS;
  for (const contact of data.contacts) {
    const created = contact.createdAt;
    if (created === null) continue;
    const converted = conversionTime(data, contact.id);
    const offsets = target === 'contact_fit' ? [0] : CONTACT_OFFSETS;
    let first = true;
    for (const days of offsets) {
      const t: number = created + days * DAY_MS;
      if (t + window > now) break;
      if (converted !== null && converted <= t) break;
      if (valueAt(contact, 'lifecycle', t) === 'customer') break;
      const label = converted !== null && converted > t && converted <= t + window ? 1 : 0;
      out.push({ recordId: contact.id, t, label, primary: first, order: created });
      first = false;
    }
  }
  return stable(out);
}

/**
 * Splits by record: the latest `fraction` of records (by their order) is the hold-out, with all their
 * snapshots — records are scored at every age, so the hold-out is too.
 *
 * The share is of records, not of distinct moments: a real export's date-only timestamps tie (dozens of
 * deals closed "2017-03-31"), and cutting at 80% of distinct dates held out 36% of a real funnel's records.
 * Records tied with the boundary are split by the same tie-break the snapshot order uses (record id), so
 * the hold-out holds `fraction` of the records however many share a date.
 */
export function timeSplit(snapshots: Snapshot[], fraction = 0.2): { train: Snapshot[]; holdout: Snapshot[]; cutoff: number } {
  const records = snapshots.filter((s) => s.primary).sort(byOrder);
  const boundary = records[Math.floor(records.length * (1 - fraction))];
  if (!boundary) return { train: [...snapshots], holdout: [], cutoff: Number.POSITIVE_INFINITY };
  const heldOut = (s: Snapshot) => byOrder(s, boundary) >= 0;
  return { train: snapshots.filter((s) => !heldOut(s)), holdout: snapshots.filter(heldOut), cutoff: boundary.order };
}

/** Records by their order, ties by record id: every snapshot of a record compares as its record does. */
const byOrder = (a: Snapshot, b: Snapshot): number => a.order - b.order || a.recordId.localeCompare(b.recordId);

/**
 * Caps a large portal's snapshots by keeping a seeded random subset of whole records (all their snapshots),
 * so training and hold-out cost stay bounded however big the portal grows. Records are drawn uniformly, so
 * the label balance, and with it calibration, is unchanged; the snapshots keep their stable order.
 * Measured on the synthetic portal: the gradient-boosted models stop gaining well before 50,000 rows.
 */
export function capSnapshots(snapshots: Snapshot[], max: number, seed: number): Snapshot[] {
  if (snapshots.length <= max) return snapshots;
  const perRecord = new Map<string, number>();
  for (const s of snapshots) perRecord.set(s.recordId, (perRecord.get(s.recordId) ?? 0) + 1);
  const drawn = [...perRecord.keys()]
    .map((id) => ({ id, key: recordHash(id, seed) }))
    .sort((a, b) => a.key - b.key || (a.id < b.id ? -1 : 1));
  const kept = new Set<string>();
  let count = 0;
  for (const { id } of drawn) {
    const n = perRecord.get(id) as number;
    if (count + n > max) break;
    kept.add(id);
    count += n;
  }
  return snapshots.filter((s) => kept.has(s.recordId));
}

/** FNV-1a of the record id mixed with the seed: a deterministic, well-spread draw order. */
function recordHash(id: string, seed: number): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}
