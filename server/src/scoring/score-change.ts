import type { FeatureInfo, FeatureRow } from './features/types.ts';
import { describeSource, type ReasonFacts } from './reasons.ts';

/**
 * "What changed" since a record's previous score: the probability change in points and the factors whose
 * contribution moved most. Contributions are stored per source field in log-odds (TreeSHAP margins), so a
 * mover's points are converted honestly: the probability change the previous score would have seen had only
 * that factor moved (sigmoid(logit(previous) + Δ) − previous). They need not add up to the total.
 */
export interface ScoreChange {
  /** Probability points, signed, 1 decimal. */
  points: number;
  /** When the previous score was taken (ISO). */
  since: string;
  movers: { source: string; label: string; points: number }[];
}

/** Per-source contributions (log-odds), summed over a source's features as the reasons are. */
export function contributionsBySource(
  contributions: readonly { feature: string; contribution: number }[],
  infos: readonly FeatureInfo[],
): Record<string, number> {
  const sourceOf = new Map(infos.map((i) => [i.name, i.source]));
  const out: Record<string, number> = {};
  for (const c of contributions) {
    const source = sourceOf.get(c.feature) ?? c.feature;
    out[source] = (out[source] ?? 0) + c.contribution;
  }
  // Rounded: stored on every history point, and 1e-4 log-odds is far below a tenth of a point.
  for (const key of Object.keys(out)) out[key] = Math.round(out[key]! * 1e4) / 1e4;
  return out;
}

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const clamp = (p: number) => Math.min(1 - 1e-6, Math.max(1e-6, p));
const oneDecimal = (x: number) => Math.round(x * 10) / 10 || 0;

export function scoreChange(input: {
  previous: { probability: number; scoredAt: string; contributions: Record<string, number> } | null;
  probability: number;
  contributions: Record<string, number>;
  row: FeatureRow;
  infos: FeatureInfo[];
  facts: ReasonFacts;
  limit?: number;
}): ScoreChange | null {
  const { previous } = input;
  // A first score, or one stored before contributions were kept: nothing to compare factor by factor.
  if (!previous || Object.keys(previous.contributions).length === 0) return null;
  const base = logit(clamp(previous.probability));
  const sources = new Set([...Object.keys(previous.contributions), ...Object.keys(input.contributions)]);
  const movers = [...sources]
    .map((source) => {
      const delta = (input.contributions[source] ?? 0) - (previous.contributions[source] ?? 0);
      return { source, delta, points: oneDecimal((sigmoid(base + delta) - previous.probability) * 100) };
    })
    .filter((m) => m.points !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.source.localeCompare(b.source))
    .slice(0, input.limit ?? 3)
    .map((m) => ({
      source: m.source,
      label: describeSource(m.source, input.row, input.facts, input.infos, m.delta > 0 ? 'positive' : 'negative'),
      points: m.points,
    }));
  return { points: oneDecimal((input.probability - previous.probability) * 100), since: previous.scoredAt, movers };
}
