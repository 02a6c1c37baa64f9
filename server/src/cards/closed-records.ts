import type { ContactCustomer, DealClosed, LastScore } from '@closewise/contract';
import type { RecordOutcome } from '../store/reads/record-card.ts';
import { toPercent } from './card-mapping.ts';

/**
 * Cards of records whose outcome is known. Closewise stops scoring a deal once it closes and a contact once it
 * is a customer; showing "Not scored yet" and a rescore button there was a promise nothing would keep. The card
 * states the outcome and the last score made before it, from the stored score history.
 */

/** A stored probability (0–1) and when it was computed. */
export interface StoredPoint {
  probability: number;
  scoredAt: string | Date;
}

/** The newest score at or before `cutoff` (all of them when the cutoff is unknown); null when there is none. */
export function lastScoreBefore(points: readonly StoredPoint[], cutoff: string | null): LastScore | null {
  const limit = cutoff === null ? Number.POSITIVE_INFINITY : Date.parse(cutoff);
  let best: { probability: number; at: number } | null = null;
  for (const point of points) {
    const at = new Date(point.scoredAt).getTime();
    if (!Number.isFinite(at) || !Number.isFinite(point.probability) || at > limit) continue;
    if (best === null || at >= best.at) best = { probability: point.probability, at };
  }
  return best === null ? null : { probability: toPercent(best.probability), scoredAt: new Date(best.at).toISOString() };
}

/** The score history and the headline score itself (history may be empty on a record scored once). */
export function storedPoints(score: { details: { probability: number; history: StoredPoint[] }; scoredAt: Date } | null): StoredPoint[] {
  if (!score) return [];
  return [...score.details.history, { probability: score.details.probability, scoredAt: score.scoredAt }];
}

/** The closed state of a won or lost deal; null while the deal is open (or its stage is unknown). */
export function closedDealCard(id: string, outcome: RecordOutcome, points: readonly StoredPoint[]): DealClosed | null {
  const result = outcome.dealOutcome;
  if (result !== 'won' && result !== 'lost') return null;
  return {
    state: 'closed',
    id,
    outcome: result,
    stageLabel: outcome.stageLabel?.slice(0, 200) || (result === 'won' ? 'Closed won' : 'Closed lost'),
    closedAt: outcome.closedAt,
    lastScoreBeforeClose: lastScoreBefore(points, outcome.closedAt),
  };
}

/** The customer state of a contact whose lifecycle stage is customer; null for any other contact. */
export function customerContactCard(id: string, outcome: RecordOutcome, points: readonly StoredPoint[]): ContactCustomer | null {
  if (outcome.lifecycle !== 'customer') return null;
  return {
    state: 'customer',
    id,
    customerSince: outcome.customerSince,
    lastScoreBeforeCustomer: lastScoreBefore(points, outcome.customerSince),
  };
}
