import type { CompanyCardData, ContactCardData, DealCardData } from '@closewise/contract';
import type { RecordInsights } from '../scoring/index.ts';
import type { CompanyEvidenceRow } from '../store/reads/company-evidence.ts';
import type { ObjectType } from '../store/schema.ts';
import { cardActions, cardChange, cardModel, cardRaise, cardReasons, type ModelSignal, toPercent } from './card-mapping.ts';
import { companyEvidenceFrom } from './company-evidence.ts';
import type { ModelTraining } from './model-name.ts';

/** Kept for callers that still check record ownership here; the check itself is a store query. */
export { liveRecordExists as recordExists } from '../store/tables/crm-records.ts';

/** Card data for one record of one tenant; null when the tenant has no such record. */
export interface RecordCards {
  deal(tenantId: string, id: string): Promise<DealCardData | null>;
  contact(tenantId: string, id: string): Promise<ContactCardData | null>;
  company(tenantId: string, id: string): Promise<CompanyCardData | null>;
}

/** What a scored record's card is built from: its stored insights, today's snoozes, its model's AUC. */
export interface LoadedCard {
  id: string;
  /** The record's name in the CRM; null when it has none. */
  name: string | null;
  /** How much the model learned from, and when; null when unknown. */
  training?: ModelTraining | null;
  insights: RecordInsights;
  snoozed: ReadonlySet<string>;
  auc: number | null;
  /** Whether the model's history predicts outcomes; null for priors and models trained before the check. */
  signal?: ModelSignal | null;
  /** Companies only. */
  company: CompanyEvidenceRow | null;
}

const NOUN: Record<ObjectType, string> = { deal: 'deal', contact: 'contact', company: 'company' };

export const notScoredCard = (objectType: ObjectType, id: string, name: string | null = null) => ({
  state: 'not_scored' as const,
  id,
  ...(name ? { name: name.slice(0, 500) } : {}),
  message:
    objectType === 'deal'
      ? 'Closewise has not scored this deal yet. It will be scored after the next sync.'
      : `Closewise has not scored this ${NOUN[objectType]} yet. It will be scored after the next sync.`,
});

const nameOf = (loaded: LoadedCard) => (loaded.name ? { name: loaded.name.slice(0, 500) } : {});

export function dealCard(loaded: LoadedCard): DealCardData {
  const { id } = loaded;
  const i = loaded.insights;
  const previous = i.history.length >= 2 ? i.history[i.history.length - 2]! : null;
  return {
    state: 'scored',
    id,
    ...nameOf(loaded),
    winProbability: toPercent(i.probability),
    dealScore: i.dealScore ?? Math.min(5, Math.max(1, Math.ceil(i.probability * 5))),
    trend: {
      direction: i.trend,
      previousProbability: i.previousProbability === null ? null : toPercent(i.previousProbability),
      previousScoredAt: previous ? new Date(previous.scoredAt).toISOString() : null,
    },
    change: cardChange(i),
    raise: cardRaise(i),
    reasons: cardReasons(i),
    nextActions: cardActions(i, loaded.snoozed),
    model: cardModel(i, loaded.auc, loaded.training ?? null, loaded.signal ?? null),
    scoredAt: i.scoredAt,
  };
}

export function contactCard(loaded: LoadedCard): ContactCardData {
  const { id } = loaded;
  const i = loaded.insights;
  // Without a grade the card would have to invent one: say it is not scored instead.
  if (!/^[A-D][1-4]$/.test(i.grade ?? '') || !i.tier) return notScoredCard('contact', id, loaded.name);
  const grade = i.grade as string;
  const fit = grade[0] as 'A' | 'B' | 'C' | 'D';
  const engagement = Number(grade[1]);
  return {
    state: 'scored',
    id,
    ...nameOf(loaded),
    closeLikelihood90d: toPercent(i.probability),
    priorityTier: i.tier as 'very_high' | 'high' | 'medium' | 'low',
    leadGrade: {
      grade,
      fit,
      engagement,
      why: [
        `Profile fit ${fit}: ${{ A: 'among the best-fitting quarter', B: 'above the median', C: 'below the median', D: 'among the weakest-fitting quarter' }[fit]} of this portal's contacts, judged on firmographic and stated data only.`,
        `Engagement ${engagement}: ${{ 1: 'among the most engaged quarter', 2: 'above the median', 3: 'below the median', 4: 'among the least engaged quarter' }[engagement as 1 | 2 | 3 | 4]} by recent activity, weighted by recency.`,
      ],
    },
    change: cardChange(i),
    raise: cardRaise(i),
    reasons: cardReasons(i),
    nextActions: cardActions(i, loaded.snoozed),
    model: cardModel(i, loaded.auc, loaded.training ?? null, loaded.signal ?? null),
    scoredAt: i.scoredAt,
  };
}

export function companyCard(loaded: LoadedCard): CompanyCardData {
  const { id } = loaded;
  const i = loaded.insights;
  const evidence = loaded.company ? companyEvidenceFrom(loaded.company) : null;
  if (!evidence) return notScoredCard('company', id, loaded.name);
  const level = (['high', 'medium', 'lonely'].includes(i.tier ?? '') ? i.tier : 'medium') as 'high' | 'medium' | 'lonely';
  return {
    state: 'scored',
    id,
    ...nameOf(loaded),
    engagement: { level, ...evidence.activity },
    openDeals: evidence.openDeals,
    contacts: evidence.contacts,
    nextActions: cardActions(i, loaded.snoozed),
    model: cardModel(i, loaded.auc, loaded.training ?? null, loaded.signal ?? null),
    scoredAt: i.scoredAt,
  };
}
