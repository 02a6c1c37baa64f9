import { leadGradeOf, priorityOf, quartileCuts, trendOf } from './derived.ts';
import { PRIOR_NOTE, reasonsLine, SCORE_KINDS, type ScoreDetails } from './details.ts';
import { type ContactContext, contactFeatures } from './features/contact-features.ts';
import type { FeatureRow } from './features/types.ts';
import { CONTACT_RULES, evaluateRules } from './next-actions.ts';
import type { PortalStats } from './portal-stats.ts';
import { buildReasons } from './reasons.ts';
import { type LiveModels, projectRow } from './runtime.ts';
import { contributionsBySource, scoreChange } from './score-change.ts';
import { appendHistory, type PreviousScore, previousPoint } from './score-deals.ts';
import { conversionTime } from './snapshots.ts';
import type { TenantData, TenantRecord } from './tenant-data.ts';
import { chooseSuggestions, contactRaiseCandidates, type RaiseSuggestion } from './would-raise.ts';

export interface ScoredContact {
  record: TenantRecord;
  likelihood: number;
  fit: number;
  engagement: number;
  row: FeatureRow;
  context: ContactContext;
  contributions: { feature: string; contribution: number }[];
}

/**
 * Likelihood to close (with reasons) and profile fit of contacts as of now: every contact of `data` by default,
 * else the ones given (a rescored scope). `explainIds`: explain only these (a run that stores a few contacts'
 * scores still predicts every contact, for the portal's quartiles).
 */
export async function scoreContacts(
  data: TenantData,
  stats: PortalStats,
  models: LiveModels,
  now: number,
  explainIds?: ReadonlySet<string>,
  only?: readonly TenantRecord[],
): Promise<ScoredContact[]> {
  const contacts = [...(only ?? data.contacts)].sort((a, b) => a.id.localeCompare(b.id));
  const built = contacts.map((record) => ({ record, ...contactFeatures(data, stats, record, now) }));
  const close = models.contact_close_90d;
  const fit = models.contact_fit;
  const closeRows = built.map((b) => projectRow(b.row, close.features));
  const likelihoods = closeRows.length ? await close.scorer.predict(closeRows) : new Float64Array();
  const explainIndex = built.map((b, i) => (explainIds === undefined || explainIds.has(b.record.id) ? i : -1)).filter((i) => i >= 0);
  const explained = explainIndex.length ? await close.scorer.explain(explainIndex.map((i) => closeRows[i]!)) : [];
  const explanations: ({ contributions: { feature: string; contribution: number }[] } | undefined)[] = [];
  explainIndex.forEach((rowIndex, k) => {
    explanations[rowIndex] = explained[k];
  });
  const fits = built.length ? await fit.scorer.predict(built.map((b) => projectRow(b.row, fit.features))) : new Float64Array();
  return built.map((b, i) => ({
    record: b.record,
    likelihood: likelihoods[i]!,
    fit: fits[i]!,
    engagement: b.context.engagement.score,
    row: b.row,
    context: b.context,
    contributions: explanations[i]?.contributions ?? [],
  }));
}

/** The portal's quartile cut points a contact's priority and lead grade are read against. */
export interface ContactCuts {
  priorityCuts: [number, number, number];
  fitCuts: [number, number, number];
  engagementCuts: [number, number, number];
}

/** Cut points over every contact of the portal (a full run's scored contacts). */
export function contactCutsOf(scored: readonly ScoredContact[]): ContactCuts {
  return {
    priorityCuts: quartileCuts(scored.map((s) => s.likelihood)),
    fitCuts: quartileCuts(scored.map((s) => s.fit)),
    // Engagement quartiles among contacts that engaged at all; the rest are grade 4.
    engagementCuts: quartileCuts(scored.filter((s) => s.engagement > 0).map((s) => s.engagement)),
  };
}

/** Score details of the scored contacts, tiered against the portal's cut points (a full run's, or stored ones). */
export function contactDetailsAll(
  data: TenantData,
  models: LiveModels,
  scored: ScoredContact[],
  cuts: ContactCuts,
  previous: Map<string, PreviousScore>,
  quality: Map<string, Set<string>>,
  now: number,
  raise: ReadonlyMap<string, RaiseSuggestion[]> = new Map(),
): Map<string, ScoreDetails> {
  const { priorityCuts, fitCuts, engagementCuts } = cuts;
  const live = models.contact_close_90d;
  const out = new Map<string, ScoreDetails>();
  for (const s of scored) {
    const prev = previous.get(s.record.id);
    const previousProbability = prev?.probability ?? null;
    const priority = priorityOf(s.likelihood, priorityCuts);
    const grade = leadGradeOf(s.fit, fitCuts, s.engagement, engagementCuts);
    const trend = trendOf(s.likelihood, previousProbability, data.settings.trendThreshold);
    const qualityFields = [...(quality.get(s.record.key) ?? [])].sort();
    const reasonFacts = { lifecycle: s.context.lifecycle, jobTitle: s.context.jobTitle, labels: data.valueLabels };
    const reasons = buildReasons(s.contributions, live.features, s.row, reasonFacts);
    const contributions = contributionsBySource(s.contributions, live.features);
    const change = scoreChange({
      previous: previousPoint(prev, now),
      probability: s.likelihood,
      contributions,
      row: s.row,
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
    const lastTouch = s.context.engagement.lastActivityAt;
    const nextActions = evaluateRules(CONTACT_RULES, {
      contactId: s.record.id,
      name: s.record.properties['name'] ?? null,
      now,
      priority,
      lastTouchAt: lastTouch,
      createdAt: s.record.createdAt,
    });
    const source = live.model.card.source;
    out.set(s.record.id, {
      kind: SCORE_KINDS.contact,
      probability: s.likelihood,
      score: Math.round(s.likelihood * 100),
      tier: priority,
      dealScore: null,
      grade,
      trend,
      previousProbability,
      history: appendHistory(prev, s.likelihood, now, contributions),
      change,
      raise: raise.get(s.record.id) ?? [],
      reasons,
      nextActions: nextActions,
      model: { id: live.model.id, version: live.model.version, source, target: 'contact_close_90d' },
      flags: source === 'prior' || models.contact_fit.model.card.source === 'prior' ? ['prior'] : [],
      dataQuality: qualityFields,
      facts: {
        lifecycle: s.context.lifecycle,
        fit: s.fit,
        engagement: Math.round(s.engagement * 1000) / 1000,
        fitModelVersion: models.contact_fit.model.version,
      },
      write: {
        likelihoodToClose: Math.round(s.likelihood * 100) / 100,
        priority,
        leadGrade: grade,
        trend,
        topReasons: `${source === 'prior' || models.contact_fit.model.card.source === 'prior' ? PRIOR_NOTE : ''}${reasonsLine(reasons)}`,
        ...(nextActions[0] ? { nextAction: nextActions[0].sentence } : {}),
      },
      written: null,
    });
  }
  return out;
}

/** "What would raise it" for scored contacts, per contact id, in one batch through the close model. */
export async function raiseContacts(
  data: TenantData,
  stats: PortalStats,
  models: LiveModels,
  scored: readonly ScoredContact[],
  now: number,
): Promise<Map<string, RaiseSuggestion[]>> {
  // A customer already converted: its card shows that, and nothing a rep logs raises a done deal.
  const open = scored.filter((s) => {
    const converted = conversionTime(data, s.record.id);
    return converted === null || converted > now;
  });
  const items = open.map((s) => contactRaiseCandidates(data, stats, s.record, { probability: s.likelihood, row: s.row }, now));
  return chooseSuggestions(models.contact_close_90d, items);
}
