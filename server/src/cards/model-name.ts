/**
 * A model named in words for a rep: what it predicts, how much of the portal's history it learned from and
 * when ("Win chance at creation, trained on 1,140 of your deals, 12 Nov"), instead of its internal target.
 */
const WHAT: Record<string, { words: string; records: string }> = {
  deal_win_at_creation: { words: 'Win chance at creation', records: 'deals' },
  deal_win_after_proposal: { words: 'Win chance after the proposal', records: 'deals' },
  contact_close_90d: { words: 'Chance to become a customer within 90 days', records: 'contacts' },
  contact_fit: { words: 'Profile fit', records: 'contacts' },
};

export interface ModelTraining {
  /** Records the model learned from; null when the card does not say. */
  records: number | null;
  trainedAt: Date | null;
}

const day = (at: Date) => at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

export function modelName(target: string | null, source: 'portal' | 'prior', training: ModelTraining | null): string {
  // Companies are scored by rules on their activity, not by a trained model.
  if (target === null) return 'Account health from recent activity (rules, not a trained model)';
  const what = WHAT[target] ?? { words: 'Closewise model', records: 'records' };
  if (source === 'prior') return `${what.words}, a starting model until this portal has enough history`;
  const parts = [what.words];
  if (training?.records) parts.push(`trained on ${training.records.toLocaleString('en-US')} of your ${what.records}`);
  else parts.push('trained on your portal');
  if (training?.trainedAt) parts.push(day(training.trainedAt));
  return parts.join(', ');
}
