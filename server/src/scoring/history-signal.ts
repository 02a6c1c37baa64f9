import { rocAuc } from '../ml/metrics.ts';

/**
 * Whether a portal's closed history predicts its outcomes at all, judged where the question means something:
 * on each hold-out record's first snapshot (as it was created, or at its first proposal), before any of the
 * activity that follows the outcome is visible. A portal whose outcomes the CRM's fields do not explain (the
 * Maven sample data reaches AUC ~0.53 with any model) still gets probabilities near its base rate, and the
 * cards and summary must say that instead of presenting them as a forecast.
 */
export interface HistorySignal {
  /** First-snapshot hold-out AUC. */
  auc: number;
  /** Its one-sided 90% lower bound (Hanley & McNeil's standard error). */
  lower: number;
  records: number;
  /** False when the lower bound is at or below MIN_USEFUL_AUC: the history does not predict outcomes yet. */
  predicts: boolean;
}

/**
 * Below this a ranking is of no use to a rep even if it is better than a coin: at AUC 0.55 a won deal outranks
 * a lost one 55 times in 100. The bound, not the point estimate, is compared, so a small hold-out that happens
 * to score 0.6 is not called predictive.
 */
export const MIN_USEFUL_AUC = 0.55;
const Z_90_ONE_SIDED = 1.2816;

/** Hanley & McNeil (1982): the AUC's standard error from its value and the two class counts. */
export function aucStandardError(auc: number, positives: number, negatives: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives);
  return Math.sqrt(Math.max(0, variance));
}

/** Null when the first snapshots hold one class only (no AUC exists). */
export function historySignal(
  labels: readonly number[],
  predictions: readonly number[],
  primary: readonly boolean[],
): HistorySignal | null {
  const y: number[] = [];
  const p: number[] = [];
  labels.forEach((label, i) => {
    if (!primary[i]) return;
    y.push(label);
    p.push(predictions[i] as number);
  });
  const positives = y.filter((v) => v === 1).length;
  const negatives = y.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const auc = rocAuc(y, p);
  const lower = auc - Z_90_ONE_SIDED * aucStandardError(auc, positives, negatives);
  return { auc, lower, records: y.length, predicts: lower > MIN_USEFUL_AUC };
}
