import type { CalibrationBin, LiftDecile, MetricSet } from './types.ts';

/** ROC AUC by the rank-sum (Mann–Whitney) formula, ties sharing their average rank. */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = scores.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSum = 0;
  let positives = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if ((labels[order[k] as number] as number) === 1) {
        rankSum += avgRank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  let sum = 0;
  const eps = 1e-15;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(Math.max(probabilities[i] as number, eps), 1 - eps);
    sum -= (labels[i] as number) === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / probabilities.length;
}

export function brier(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const d = (probabilities[i] as number) - (labels[i] as number);
    sum += d * d;
  }
  return sum / probabilities.length;
}

/** Equal-width probability bins: mean prediction vs observed positive rate. Empty bins are kept with count 0. */
export function calibrationTable(labels: ArrayLike<number>, probabilities: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const table: CalibrationBin[] = Array.from({ length: bins }, (_, b) => ({
    bin: b + 1,
    lower: b / bins,
    upper: (b + 1) / bins,
    count: 0,
    meanPredicted: 0,
    observedRate: 0,
  }));
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    const entry = table[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))] as CalibrationBin;
    entry.count++;
    entry.meanPredicted += p;
    entry.observedRate += labels[i] as number;
  }
  for (const entry of table) {
    if (entry.count === 0) continue;
    entry.meanPredicted /= entry.count;
    entry.observedRate /= entry.count;
  }
  return table;
}

/** Expected calibration error: the count-weighted mean |observed − predicted| over the calibration bins. */
export function expectedCalibrationError(labels: ArrayLike<number>, probabilities: ArrayLike<number>, bins = 10): number {
  const table = calibrationTable(labels, probabilities, bins);
  let sum = 0;
  for (const entry of table) sum += entry.count * Math.abs(entry.observedRate - entry.meanPredicted);
  return probabilities.length > 0 ? sum / probabilities.length : 0;
}

/** Rows sorted by score, cut in ten equal parts: positive rate, lift over the base rate and cumulative gain. */
export function liftByDecile(labels: ArrayLike<number>, scores: ArrayLike<number>): LiftDecile[] {
  const n = scores.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let total = 0;
  for (let i = 0; i < n; i++) total += labels[i] as number;
  const baseRate = n > 0 ? total / n : 0;
  const out: LiftDecile[] = [];
  let cumulative = 0;
  for (let d = 0; d < 10; d++) {
    const start = Math.floor((d * n) / 10);
    const end = Math.floor(((d + 1) * n) / 10);
    let positives = 0;
    for (let k = start; k < end; k++) positives += labels[order[k] as number] as number;
    cumulative += positives;
    const rows = end - start;
    const rate = rows > 0 ? positives / rows : 0;
    out.push({
      decile: d + 1,
      rows,
      positives,
      rate,
      lift: baseRate > 0 ? rate / baseRate : 0,
      cumulativeGain: total > 0 ? cumulative / total : 0,
    });
  }
  return out;
}

export function metricSet(labels: ArrayLike<number>, probabilities: ArrayLike<number>): MetricSet {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] as number;
  return {
    rows: labels.length,
    positives,
    auc: rocAuc(labels, probabilities),
    logLoss: logLoss(labels, probabilities),
    brier: brier(labels, probabilities),
    ece: expectedCalibrationError(labels, probabilities),
    calibration: calibrationTable(labels, probabilities),
    lift: liftByDecile(labels, probabilities),
  };
}
