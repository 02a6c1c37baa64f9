import type { ScoreDetails } from '../scoring/details.ts';
import type { RecordInsights } from '../scoring/index.ts';
import type { ModelTarget } from '../scoring/snapshots.ts';
import type { ObjectType } from '../store/schema.ts';

/**
 * What the Salesforce cards ask the backend for beyond the score fields: every reason with its weight, the
 * task to create, and when the active model took over. CRM-neutral and pure: loaded values in, plain values out.
 */
export interface ImpactReason {
  label: string;
  impact: string;
}

/**
 * Reasons carry TreeSHAP contributions in log-odds, which a rep cannot read. Near the record's probability p
 * a log-odds change d moves the probability by about p(1-p)·d, so that is shown in percentage points.
 */
export function impactLabel(logOdds: number, probability: number, direction: 'positive' | 'negative' | 'neutral'): string {
  if (direction === 'neutral' || logOdds === 0) return '—';
  const points = logOdds * probability * (1 - probability) * 100;
  const size = Math.abs(points);
  const tenths = Math.round(size * 10) / 10;
  const shown = tenths >= 1 ? String(Math.round(size)) : tenths >= 0.1 ? tenths.toFixed(1) : '<0.1';
  return `${points > 0 ? '+' : '−'}${shown} pts`;
}

/** Every stored reason of the record's score, in stored order. */
export function impactReasons(details: Pick<ScoreDetails, 'reasons' | 'probability'>): ImpactReason[] {
  return details.reasons.map((r) => ({ label: r.text, impact: impactLabel(r.impact, details.probability, r.direction) }));
}

export interface TaskSuggestion {
  subject: string;
  description: string;
  /** YYYY-MM-DD, as an Apex Date deserializes. */
  dueDate: string;
}

/** The highest-ranked next action that creates a task and that no rep snoozed; null when there is none. */
export function topTaskSuggestion(insights: RecordInsights, snoozed: ReadonlySet<string>): TaskSuggestion | null {
  for (const a of insights.nextActions) {
    if (snoozed.has(a.id) || a.action.type !== 'create_task') continue;
    const title = a.action.title;
    const due = a.action.dueDate;
    if (typeof title !== 'string' || typeof due !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(due)) continue;
    // Task.Subject holds 255 characters; Description 32,000.
    return { subject: title.slice(0, 255), description: a.sentence.slice(0, 32_000), dueDate: due.slice(0, 10) };
  }
  return null;
}

/** The model targets whose champions score each object type (companies are scored by rules, no model). */
export const SCORING_TARGETS: Record<ObjectType, ModelTarget[]> = {
  deal: ['deal_win_at_creation', 'deal_win_after_proposal'],
  contact: ['contact_close_90d', 'contact_fit'],
  company: [],
};

export interface ModelStatus {
  activatedAt: string | null;
  version: number | null;
}

/**
 * The most recently activated champion among the given models: a score older than it may come from the
 * model it replaced. The store keeps no promotion time, and a champion is promoted when it is trained, so
 * its training time stands in (after a rollback this is the older model's training time).
 */
export function latestChampionStatus(models: { status: string; trainedAt: Date; version: number }[]): ModelStatus {
  const champions = models.filter((m) => m.status === 'active');
  const latest = champions.sort((a, b) => b.trainedAt.getTime() - a.trainedAt.getTime())[0];
  return latest ? { activatedAt: latest.trainedAt.toISOString(), version: latest.version } : { activatedAt: null, version: null };
}
