/**
 * Scores derived from probabilities and engagement: contact priority tiers, the 1–5 deal score,
 * the A1–D4 lead grade, account engagement levels and the trend against the previous score.
 */
export type Priority = 'very_high' | 'high' | 'medium' | 'low';
export type Trend = 'up' | 'steady' | 'down';
export type EngagementLevel = 'high' | 'medium' | 'lonely';

/** Value at quantile q of an ascending array (linear interpolation). */
export function quantileOf(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Quartile cut points of a portal's values: [q25, q50, q75]. */
export function quartileCuts(values: readonly number[]): [number, number, number] {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  return [quantileOf(sorted, 0.25), quantileOf(sorted, 0.5), quantileOf(sorted, 0.75)];
}

/** 0 (bottom quarter) … 3 (top quarter). */
export function quartileIndex(value: number, cuts: [number, number, number]): 0 | 1 | 2 | 3 {
  if (value > cuts[2]) return 3;
  if (value > cuts[1]) return 2;
  if (value > cuts[0]) return 1;
  return 0;
}

/** Very high = the portal's top 25% of likelihoods, and so on down. */
export function priorityOf(likelihood: number, cuts: [number, number, number]): Priority {
  return (['low', 'medium', 'high', 'very_high'] as const)[quartileIndex(likelihood, cuts)];
}

/** 1 (very low) … 5 (very high) in fixed probability bands, so a deal's score means the same in every portal. */
export function dealScoreOf(winProbability: number): 1 | 2 | 3 | 4 | 5 {
  if (winProbability >= 0.8) return 5;
  if (winProbability >= 0.6) return 4;
  if (winProbability >= 0.4) return 3;
  if (winProbability >= 0.2) return 2;
  return 1;
}

/** Fit A (best quarter of profile fit) … D, engagement 1 (most engaged quarter) … 4: A1 is the best lead, D4 the worst. */
export function leadGradeOf(
  fit: number,
  fitCuts: [number, number, number],
  engagement: number,
  engagementCuts: [number, number, number],
): string {
  const letter = (['D', 'C', 'B', 'A'] as const)[quartileIndex(fit, fitCuts)];
  // Many contacts have no engagement at all: zero is always the lowest engagement band.
  const digit = engagement <= 0 ? 4 : 4 - quartileIndex(engagement, engagementCuts);
  return `${letter}${digit}`;
}

export function trendOf(current: number, previous: number | null, threshold: number): Trend {
  if (previous === null) return 'steady';
  if (current - previous > threshold) return 'up';
  if (previous - current > threshold) return 'down';
  return 'steady';
}

/**
 * Lonely: nothing new or updated on the account (its records or activities) for `lonelyDays`; otherwise
 * high when its recent engagement is at or above the median of the portal's non-lonely accounts.
 */
export function engagementLevelOf(
  daysSinceTouch: number | null,
  lonelyDays: number,
  engagement: number,
  medianEngagement: number,
): EngagementLevel {
  if (daysSinceTouch === null || daysSinceTouch > lonelyDays) return 'lonely';
  return engagement > 0 && engagement >= medianEngagement ? 'high' : 'medium';
}
