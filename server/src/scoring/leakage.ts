import type { FeatureInfo, FeatureValue } from './features/types.ts';
import type { TenantData } from './tenant-data.ts';

export interface Exclusion {
  feature: string;
  reason: string;
}

/** Single-feature AUC above this means the feature practically is the label. */
export const LEAK_AUC = 0.97;

/** AUC of ranking by one value (missing ranks lowest), folded so 0.1 and 0.9 are equally suspicious. */
export function rankAuc(scores: number[], labels: number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  let pos = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j += 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1) {
      if (labels[idx[k]!] === 1) {
        rankSumPos += rank;
        pos += 1;
      }
    }
    i = j + 1;
  }
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return 0.5;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Categorical values are ranked by their level's positive rate learnt on the other half of the rows, so an
 * id-like field (every value unique) cannot look predictive, but "set only on won deals" does.
 */
function categoricalScores(values: FeatureValue[], labels: number[]): number[] {
  const prior = labels.reduce((a, b) => a + b, 0) / Math.max(1, labels.length);
  const stats = [new Map<string, [number, number]>(), new Map<string, [number, number]>()];
  values.forEach((v, i) => {
    const level = v === null || v === '' ? '\u0000missing' : String(v);
    const fold = stats[i % 2]!;
    const s = fold.get(level) ?? [0, 0];
    s[0] += labels[i]!;
    s[1] += 1;
    fold.set(level, s);
  });
  return values.map((v, i) => {
    const level = v === null || v === '' ? '\u0000missing' : String(v);
    const other = stats[(i + 1) % 2]!.get(level);
    return other ? (other[0] + prior * 2) / (other[1] + 2) : prior;
  });
}

export function singleFeatureAuc(info: FeatureInfo, values: FeatureValue[], labels: number[]): number {
  const scores =
    info.kind === 'categorical'
      ? categoricalScores(values, labels)
      : values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : Number.NEGATIVE_INFINITY));
  const auc = rankAuc(scores, labels);
  return Math.max(auc, 1 - auc);
}

export function aucLeaks(features: FeatureInfo[], rows: Record<string, FeatureValue>[], labels: number[]): Exclusion[] {
  const out: Exclusion[] = [];
  for (const info of features) {
    const auc = singleFeatureAuc(
      info,
      rows.map((r) => r[info.name] ?? null),
      labels,
    );
    if (auc > LEAK_AUC)
      out.push({
        feature: info.name,
        reason: `predicts the outcome almost perfectly on its own (single-feature AUC ${auc.toFixed(3)} > ${LEAK_AUC})`,
      });
  }
  return out;
}

/**
 * Custom fields whose history shows them changing at or after the outcome (deal closed / contact converted)
 * on a noticeable share of records: their current values describe the outcome, not the run-up to it.
 */
export function postOutcomeLeaks(
  data: TenantData,
  features: FeatureInfo[],
  outcomes: { objectType: 'deal' | 'contact'; recordId: string; at: number }[],
): Exclusion[] {
  const out: Exclusion[] = [];
  const sources = new Set(features.filter((f) => f.source.startsWith('custom:')).map((f) => f.source));
  for (const source of sources) {
    let changedAfter = 0;
    let withHistory = 0;
    for (const outcome of outcomes) {
      const record = data.records.get(`${outcome.objectType}:${outcome.recordId}`);
      const points = record?.history.get(source);
      if (!points || points.length === 0) continue;
      withHistory += 1;
      // Set at the very moment of the close (the same save, or a required field on the closing stage) counts too.
      if (points.some((p) => p.at >= outcome.at)) changedAfter += 1;
    }
    if (changedAfter >= 3 && changedAfter >= 0.2 * outcomes.length) {
      for (const f of features.filter((f) => f.source === source)) {
        out.push({
          feature: f.name,
          reason: `${source} changes after the outcome on ${changedAfter} of ${outcomes.length} closed records (${withHistory} with history)`,
        });
      }
    }
  }
  return out;
}
