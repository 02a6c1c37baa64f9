import type { NextAction, Reason, ScoreChange, WouldRaise } from '@closewise/contract';
import type { RecordInsights } from '../scoring/index.ts';
import { type ModelTraining, modelName } from './model-name.ts';

/** Stored score insights → the pieces every card shows, in the card API's wire shapes. */
export const toPercent = (probability: number) => Math.round(Math.min(1, Math.max(0, probability)) * 1000) / 10;

export function cardReasons(insights: RecordInsights): Reason[] {
  return insights.reasons
    .filter((r): r is typeof r & { direction: 'positive' | 'negative' } => r.direction !== 'neutral')
    .slice(0, 10)
    .map((r) => ({ direction: r.direction, sentence: r.text.slice(0, 500), feature: r.source.slice(0, 200) || 'model' }));
}

/** Ranked actions, without the ones a rep snoozed; only task creation is automated from the card. */
export function cardActions(insights: RecordInsights, snoozed: ReadonlySet<string>): NextAction[] {
  return insights.nextActions
    .filter((a) => !snoozed.has(a.id))
    .slice(0, 10)
    .map((a) => {
      const title = typeof a.action.title === 'string' ? a.action.title : null;
      const due = typeof a.action.dueDate === 'string' ? a.action.dueDate.slice(0, 10) : null;
      const action =
        a.action.type === 'create_task' && title && due
          ? { type: 'create_task' as const, title: title.slice(0, 200), dueDate: due }
          : { type: 'advice' as const };
      return { id: a.id.slice(0, 100), sentence: a.sentence.slice(0, 500), severity: a.severity, action };
    });
}

/** Whether the model's history predicts outcomes (scoring/history-signal.ts), as its card stores it. */
export interface ModelSignal {
  auc: number;
  predicts: boolean;
}

export function cardModel(
  insights: RecordInsights,
  auc: number | null,
  training: ModelTraining | null = null,
  signal: ModelSignal | null = null,
) {
  const model = insights.model;
  const source = insights.prior ? ('prior' as const) : (model?.source ?? 'portal');
  // The first-snapshot AUC where it was measured: the all-rows figure counts later snapshots, which see
  // activity that follows the outcome.
  const shown = signal?.auc ?? auc;
  return {
    version: model ? `${model.target} v${model.version}` : 'rules',
    name: modelName(model?.target ?? null, source, training),
    source,
    ...(shown === null ? {} : { auc: shown }),
    ...(signal && source === 'portal' ? { predictive: signal.predicts } : {}),
  };
}

/** The stored "what changed", in the card API's shape (movers' labels are the reason sentences). */
export function cardChange(insights: RecordInsights): ScoreChange {
  const change = insights.change;
  if (!change) return null;
  return {
    points: Math.max(-100, Math.min(100, change.points)),
    since: new Date(change.since).toISOString(),
    movers: change.movers.slice(0, 3).map((m) => ({ label: m.label.slice(0, 500) || m.source.slice(0, 500), points: m.points })),
  };
}

/** The stored "what would raise it", as percentages for the card. */
export function cardRaise(insights: RecordInsights): WouldRaise {
  return insights.raise.slice(0, 3).map((s) => ({
    action: s.action,
    label: s.label.slice(0, 200),
    estimate: toPercent(s.probability),
    points: Math.max(0, Math.min(100, s.points)),
  }));
}
