import type { ScoreChangeResponse, WouldRaiseResponse } from '@closewise/contract';
import type { Kysely } from 'kysely';
import { cardRaise, type ModelSignal } from '../cards/card-mapping.ts';
import { closedDealCard, customerContactCard, storedPoints } from '../cards/closed-records.ts';
import type { ModelTraining } from '../cards/model-name.ts';
import { companyCard, contactCard, dealCard, type LoadedCard, notScoredCard, type RecordCards } from '../cards/record-cards.ts';
import {
  type ImpactReason,
  impactReasons,
  latestChampionStatus,
  type ModelStatus,
  SCORING_TARGETS,
  type TaskSuggestion,
  topTaskSuggestion,
} from '../cards/salesforce-insights.ts';
import { activeSnoozes } from '../cards/snoozes.ts';
import { insightsFromScore, listModels, type RecordInsights, readRecordInsights } from '../scoring/index.ts';
import { type CardRead, selectCardRead } from '../store/reads/record-card.ts';
import type { Database, ObjectType } from '../store/schema.ts';
import { liveRecordExists } from '../store/tables/crm-records.ts';
import { selectModelTraining } from '../store/tables/models.ts';
import { selectScore } from '../store/tables/scores.ts';
import { snoozedActions } from './snooze.ts';

/**
 * Reading what a card shows, for either CRM: the HubSpot cards (one store round trip per card, a rep is
 * waiting) and the Salesforce API's reasons, task suggestion and model status. The store reads and
 * parses; cards/ turns the values into each card's shape.
 */

/** Whether the tenant has this record and the CRM has not deleted it (a deleted record has no card). */
export async function ownsLiveRecord(db: Kysely<Database>, tenantId: string, objectType: ObjectType, id: string): Promise<boolean> {
  return liveRecordExists(db, tenantId, objectType, id);
}

const numberOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A model version's hold-out AUC and training never change, so each reader looks them up once. */
const AUC_CACHE_LIMIT = 10_000;

/** The HubSpot cards' data; `today` (YYYY-MM-DD) decides which snoozes still hold. */
export function createCardReader(db: Kysely<Database>, today: () => string): RecordCards {
  type ModelFacts = { auc: number | null; training: ModelTraining | null; signal: ModelSignal | null };
  const modelCache = new Map<string, ModelFacts>();

  /** The model's hold-out AUC, and what it learned from (for its name in words). */
  async function modelFacts(tenantId: string, insights: RecordInsights): Promise<ModelFacts> {
    const model = insights.model;
    if (!model) return { auc: null, training: null, signal: null };
    const key = `${tenantId}/${model.target}/${model.version}`;
    const cached = modelCache.get(key);
    if (cached) return cached;
    const stored = await selectModelTraining(db, tenantId, model.target, model.version);
    const facts = {
      auc: stored?.card.holdout.auc ?? null,
      signal: stored?.card.signal ?? null,
      training: stored ? { records: numberOrNull(stored.card.trainedOnData['records']), trainedAt: stored.trainedAt } : null,
    };
    if (modelCache.size >= AUC_CACHE_LIMIT) modelCache.clear();
    modelCache.set(key, facts);
    return facts;
  }

  async function load(tenantId: string, objectType: ObjectType, id: string, score: NonNullable<CardRead['score']>, read: CardRead) {
    const insights = insightsFromScore(objectType, id, score.details, score.scoredAt);
    const snoozed = activeSnoozes(read.snoozed, objectType, id, today());
    return {
      id,
      name: read.name,
      insights,
      snoozed,
      company: read.company,
      ...(await modelFacts(tenantId, insights)),
    } satisfies LoadedCard;
  }

  /** A record with a known outcome gets its closed card before anything else: it is not scored any more. */
  const reader =
    <T, C>(objectType: ObjectType, build: (loaded: LoadedCard) => T, closed: (id: string, read: CardRead) => C | null) =>
    async (tenantId: string, id: string) => {
      const read = await selectCardRead(db, tenantId, objectType, id);
      if (!read) return null;
      const done = closed(id, read);
      if (done !== null) return read.name ? { ...done, name: read.name.slice(0, 500) } : done;
      return read.score ? build(await load(tenantId, objectType, id, read.score, read)) : notScoredCard(objectType, id, read.name);
    };

  return {
    deal: reader('deal', dealCard, (id, read) => closedDealCard(id, read.outcome, storedPoints(read.score))),
    contact: reader('contact', contactCard, (id, read) => customerContactCard(id, read.outcome, storedPoints(read.score))),
    company: reader('company', companyCard, () => null),
  };
}

/** Every reason of the record's score with its weight in points; null when the record has no score. */
export async function readImpactReasons(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  externalId: string,
): Promise<ImpactReason[] | null> {
  const score = await selectScore(db, tenantId, objectType, externalId);
  return score ? impactReasons(score.details) : null;
}

/** What changed since the previous score, for the Salesforce cards; null when the record is not scored. */
export async function readScoreChange(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  externalId: string,
): Promise<ScoreChangeResponse | null> {
  const score = await selectScore(db, tenantId, objectType, externalId);
  if (!score) return null;
  const change = score.details.change;
  if (!change) return { changed: false, points: null, since: null, movers: [] };
  return {
    changed: true,
    points: change.points,
    since: new Date(change.since).toISOString(),
    movers: change.movers.slice(0, 3).map((m) => ({ label: m.label || m.source, points: m.points })),
  };
}

/**
 * What would raise the score, for the Salesforce cards: the stored suggestions mapped as the HubSpot cards
 * map them (estimate in percent). Null when the record is not scored; empty for a closed deal or a customer
 * contact, whose stored suggestions are from before the outcome and no longer apply.
 */
export async function readWouldRaise(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  externalId: string,
): Promise<WouldRaiseResponse | null> {
  const read = await selectCardRead(db, tenantId, objectType, externalId);
  if (!read?.score) return null;
  const { dealOutcome, lifecycle } = read.outcome;
  if (dealOutcome === 'won' || dealOutcome === 'lost' || lifecycle === 'customer') return { suggestions: [] };
  return { suggestions: cardRaise(insightsFromScore(objectType, externalId, read.score.details, read.score.scoredAt)) };
}

/** The task to suggest: the highest-ranked create-task action no rep snoozed on `today`. */
export async function readTaskSuggestion(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  externalId: string,
  today: string,
): Promise<{ scored: false } | { scored: true; suggestion: TaskSuggestion | null }> {
  const [insights, snoozed] = await Promise.all([
    readRecordInsights(db, tenantId, objectType, externalId),
    snoozedActions(db, tenantId, objectType, externalId, today),
  ]);
  return insights ? { scored: true, suggestion: topTaskSuggestion(insights, snoozed) } : { scored: false };
}

/** When the champion now scoring this object type took over, and its version. */
export async function readModelStatus(db: Kysely<Database>, tenantId: string, objectType: ObjectType): Promise<ModelStatus> {
  const perTarget = await Promise.all(SCORING_TARGETS[objectType].map((target) => listModels(db, tenantId, target)));
  return latestChampionStatus(perTarget.flat());
}
