import { logLoss, rocAuc } from './metrics.ts';
import type { ModelKind, ModelSelection } from './types.ts';

export interface ScoredCandidate {
  kind: ModelKind;
  /** Uncalibrated margins of the validation rows. */
  validMargins: Float64Array;
}

const sigmoid = (m: number) => 1 / (1 + Math.exp(-m));

/**
 * Fewer positives or negatives than this on the validation slice and the AUCs are noise: a tree model that
 * made no split ranks at 0.5 while any other ranks above it half the time by chance. Then the first candidate
 * (the trees) is kept; the scores are still reported.
 */
export const MIN_CLASS_ROWS_TO_SELECT = 10;

/**
 * Picks the candidate with the highest validation AUC (what the scores are judged on); ties, undefined AUCs
 * and too small a validation slice keep the first candidate, the trees, so nothing changes without evidence.
 */
export function selectCandidate(
  candidates: ScoredCandidate[],
  validLabels: ArrayLike<number>,
  validation: ModelSelection['validation'],
): ModelSelection {
  const scored = candidates.map((c) => {
    const probabilities = Array.from(c.validMargins, sigmoid);
    return { kind: c.kind, auc: rocAuc(validLabels, probabilities), logLoss: logLoss(validLabels, probabilities) };
  });
  let positives = 0;
  for (let i = 0; i < validLabels.length; i++) positives += validLabels[i] as number;
  const enough = Math.min(positives, validLabels.length - positives) >= MIN_CLASS_ROWS_TO_SELECT;
  let chosen = scored[0] as (typeof scored)[number];
  if (enough) for (const c of scored.slice(1)) if (c.auc > chosen.auc) chosen = c;
  return { chosen: chosen.kind, validation, candidates: scored };
}
