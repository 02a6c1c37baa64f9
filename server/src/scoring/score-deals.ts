import { dealScoreOf, trendOf } from './derived.ts';
import { PRIOR_NOTE, reasonsLine, SCORE_KINDS, type ScoreDetails } from './details.ts';
import { type DealContext, dealFeatures } from './features/deal-features.ts';
import type { FeatureRow } from './features/types.ts';
import { DEAL_RULES, evaluateRules } from './next-actions.ts';
import type { PortalStats } from './portal-stats.ts';
import { buildReasons, type Reason } from './reasons.ts';
import { type LiveModels, projectRow } from './runtime.ts';
import { contributionsBySource, scoreChange } from './score-change.ts';
import type { ModelTarget } from './snapshots.ts';
import type { TenantData } from './tenant-data.ts';
import { type DealFacts, openAt } from './timeline.ts';
import { DAY_MS } from './values.ts';
import { chooseSuggestions, dealRaiseCandidates, type RaiseSuggestion } from './would-raise.ts';

export interface PreviousScore {
  probability: number | null;
  history: HistoryPoint[];
}

export interface HistoryPoint {
  probability: number;
  scoredAt: string;
  contributions?: Record<string, number>;
}

/** The last history point before `now` with its contributions: what "what changed" compares against. */
export function previousPoint(
  previous: PreviousScore | undefined,
  now: number,
): { probability: number; scoredAt: string; contributions: Record<string, number> } | null {
  const at = new Date(now).toISOString();
  const earlier = (previous?.history ?? []).filter((h) => h.scoredAt < at);
  const last = earlier[earlier.length - 1];
  return last ? { probability: last.probability, scoredAt: last.scoredAt, contributions: last.contributions ?? {} } : null;
}

/** The model for an open deal's stage: after the first proposal stage, the proposal model. */
export function dealTargetAt(facts: DealFacts, t: number): ModelTarget {
  return facts.proposalAt !== null && facts.proposalAt <= t ? 'deal_win_after_proposal' : 'deal_win_at_creation';
}

export function openDeals(stats: PortalStats, now: number): DealFacts[] {
  return [...stats.facts.values()]
    .filter((f) => f.outcome === null && openAt(f, now))
    .sort((a, b) => a.record.id.localeCompare(b.record.id));
}

/** Batch predictions and explanations for deals, grouped by the model each deal's stage calls for. */
export async function predictDeals(
  data: TenantData,
  stats: PortalStats,
  models: LiveModels,
  deals: DealFacts[],
  t: number,
  explain: boolean,
): Promise<
  Map<
    string,
    {
      probability: number;
      target: ModelTarget;
      row: FeatureRow;
      context: DealContext;
      contributions: { feature: string; contribution: number }[];
    }
  >
> {
  const out = new Map<
    string,
    {
      probability: number;
      target: ModelTarget;
      row: FeatureRow;
      context: DealContext;
      contributions: { feature: string; contribution: number }[];
    }
  >();
  const groups = new Map<ModelTarget, { facts: DealFacts; row: FeatureRow; context: DealContext }[]>();
  for (const facts of deals) {
    const target = dealTargetAt(facts, t);
    const { row, context } = dealFeatures(data, stats, facts, t);
    const list = groups.get(target) ?? [];
    list.push({ facts, row, context });
    groups.set(target, list);
  }
  for (const [target, list] of groups) {
    const live = models[target];
    const rows = list.map((item) => projectRow(item.row, live.features));
    const probabilities = await live.scorer.predict(rows);
    const explanations = explain ? await live.scorer.explain(rows) : [];
    list.forEach((item, i) => {
      out.set(item.facts.record.id, {
        probability: probabilities[i]!,
        target,
        row: item.row,
        context: item.context,
        contributions: explanations[i]?.contributions ?? [],
      });
    });
  }
  return out;
}

export function dealDetails(
  data: TenantData,
  facts: DealFacts,
  scored: {
    probability: number;
    target: ModelTarget;
    row: FeatureRow;
    context: DealContext;
    contributions: { feature: string; contribution: number }[];
  },
  models: LiveModels,
  previous: PreviousScore | undefined,
  qualityFields: string[],
  now: number,
  raise: RaiseSuggestion[] = [],
): ScoreDetails {
  const live = models[scored.target];
  const settings = data.settings;
  const ctx = scored.context;
  const reasonFacts = {
    stageLabel: ctx.stageLabel,
    daysInStage: ctx.daysInStage,
    wonMedianDaysInStage: ctx.wonMedianDaysInStage,
    labels: data.valueLabels,
  };
  const reasons: Reason[] = buildReasons(scored.contributions, live.features, scored.row, reasonFacts);
  const contributions = contributionsBySource(scored.contributions, live.features);
  const change = scoreChange({
    previous: previousPoint(previous, now),
    probability: scored.probability,
    contributions,
    row: scored.row,
    infos: live.features,
    facts: reasonFacts,
  });
  if (qualityFields.length > 0) {
    reasons.push({
      source: 'data_quality',
      direction: 'neutral',
      impact: 0,
      text: `Missing or invalid: ${qualityFields.join(', ')} (treated as unknown)`,
    });
  }
  if (reasons.length === 0) {
    reasons.push({ source: 'deal.stage', direction: 'neutral', impact: 0, text: `In stage '${ctx.stageLabel ?? 'unknown'}'` });
  }
  const previousProbability = previous?.probability ?? null;
  const trend = trendOf(scored.probability, previousProbability, settings.trendThreshold);
  const nextActions = evaluateRules(DEAL_RULES, {
    dealId: facts.record.id,
    dealName: facts.record.properties['name'] ?? null,
    now,
    probability: scored.probability,
    previousProbability,
    varianceThreshold: settings.varianceThreshold,
    noActivityDays: settings.noActivityDays,
    stageLabel: ctx.stageLabel,
    daysInStage: ctx.daysInStage,
    stalledAfterDays: ctx.stalledAfterDays,
    stalledPercentile: settings.stalledDealPercentile,
    daysSinceLastActivity: ctx.engagement.lastActivityAt === null ? null : Math.floor((now - ctx.engagement.lastActivityAt) / DAY_MS),
    nextActivityAt: ctx.engagement.anyFutureAt,
    contacts: ctx.contacts,
    hasDecisionMaker: ctx.hasDecisionMaker,
    closeDate: ctx.closeDate,
  });
  const dealScore = dealScoreOf(scored.probability);
  const source = live.model.card.source;
  return {
    kind: SCORE_KINDS.deal,
    probability: scored.probability,
    score: Math.round(scored.probability * 100),
    tier: null,
    dealScore,
    grade: null,
    trend,
    previousProbability,
    history: appendHistory(previous, scored.probability, now, contributions),
    change,
    raise,
    reasons,
    nextActions: nextActions,
    model: { id: live.model.id, version: live.model.version, source, target: scored.target },
    flags: source === 'prior' ? ['prior'] : [],
    dataQuality: qualityFields,
    facts: {
      stage: ctx.stageLabel,
      daysInStage: ctx.daysInStage === null ? null : Math.round(ctx.daysInStage),
      wonMedianDaysInStage: ctx.wonMedianDaysInStage,
      contacts: ctx.contacts,
      amount: ctx.amount,
    },
    write: {
      winProbability: Math.round(scored.probability * 100) / 100,
      dealScore,
      trend,
      topReasons: `${source === 'prior' ? PRIOR_NOTE : ''}${reasonsLine(reasons)}`,
      ...(nextActions[0] ? { nextAction: nextActions[0].sentence } : {}),
    },
    written: null,
  };
}

/** Keeps the last 10 scorings, one per moment, so re-running at the same `now` is idempotent. */
export function appendHistory(
  previous: PreviousScore | undefined,
  probability: number,
  now: number,
  contributions?: Record<string, number>,
): HistoryPoint[] {
  const at = new Date(now).toISOString();
  // Only the last two points keep their contributions: the next score compares against the newest, and a
  // rerun at this same moment (a scoped rescore) against the one before it.
  const earlier = (previous?.history ?? []).filter((h) => h.scoredAt < at);
  const kept = earlier.map(({ contributions, ...h }, i) => (i === earlier.length - 1 && contributions ? { ...h, contributions } : h));
  return [...kept, { probability, scoredAt: at, ...(contributions ? { contributions } : {}) }].slice(-10);
}

/**
 * "What would raise it" for scored open deals, per deal id: each deal's hypotheticals scored by the model
 * that scored it, one batch per model.
 */
export async function raiseDeals(
  data: TenantData,
  stats: PortalStats,
  models: LiveModels,
  deals: readonly DealFacts[],
  predictions: Awaited<ReturnType<typeof predictDeals>>,
  now: number,
): Promise<Map<string, RaiseSuggestion[]>> {
  const byTarget = new Map<ModelTarget, ReturnType<typeof dealRaiseCandidates>[]>();
  for (const facts of deals) {
    const scored = predictions.get(facts.record.id);
    if (!scored) continue;
    const current = { probability: scored.probability, row: scored.row, closeDate: scored.context.closeDate };
    const list = byTarget.get(scored.target) ?? [];
    list.push(dealRaiseCandidates(data, stats, facts, current, now));
    byTarget.set(scored.target, list);
  }
  const out = new Map<string, RaiseSuggestion[]>();
  for (const [target, items] of byTarget) for (const [id, list] of await chooseSuggestions(models[target], items)) out.set(id, list);
  return out;
}
