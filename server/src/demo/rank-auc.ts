/** ROC AUC by ranks (ties share their average rank): the probability a random positive outranks a random negative. */
export function rankAuc(scores: number[], labels: number[]): number {
  const order = scores.map((score, i) => ({ score, label: labels[i] ?? 0 })).sort((a, b) => a.score - b.score);
  let rankSumPositives = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]!.score === order[i]!.score) j += 1;
    const averageRank = (i + j + 1) / 2;
    for (let k = i; k < j; k += 1) {
      if (order[k]!.label === 1) {
        rankSumPositives += averageRank;
        positives += 1;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}
