/**
 * Rank-based ROC AUC (the Mann–Whitney U statistic), with tied scores sharing their average rank,
 * so a constant score gives exactly 0.5.
 */
export function rankAuc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  if (scores.length !== labels.length) throw new RangeError('scores and labels differ in length');
  const order = scores.map((_, i) => i).sort((x, y) => (scores[x] as number) - (scores[y] as number));
  let positives = 0;
  let positiveRankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    const value = scores[order[i] as number] as number;
    while (j + 1 < order.length && scores[order[j + 1] as number] === value) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k] as number] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) throw new RangeError('AUC needs at least one positive and one negative');
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * AUC of the planted probabilities against realized outcomes: the best any model can do on these ids.
 * `ids` defaults to every id with an outcome; ids without a planted probability are an error, not skipped,
 * because silently dropping them would flatter the number.
 */
export function oracleAuc(truth: Record<string, number>, outcomes: Record<string, 0 | 1>, ids?: string[]): number {
  const chosen = ids ?? Object.keys(outcomes);
  const scores: number[] = [];
  const labels: (0 | 1)[] = [];
  for (const id of chosen) {
    const p = truth[id];
    const y = outcomes[id];
    if (p === undefined || y === undefined) throw new RangeError(`no planted probability or outcome for ${id}`);
    scores.push(p);
    labels.push(y);
  }
  return rankAuc(scores, labels);
}
