import type { Kysely } from 'kysely';
import type { Database, ObjectType } from '../store/schema.ts';
import { selectScore } from '../store/tables/scores.ts';
import { type ScoreDetails, scoreDetailsSchema } from './details.ts';

/** What a deal, contact or company card shows, read from the stored score. */
export interface RecordInsights {
  objectType: ObjectType;
  externalId: string;
  scoredAt: string;
  probability: number;
  score: number;
  tier: string | null;
  dealScore: number | null;
  grade: string | null;
  trend: 'up' | 'steady' | 'down';
  previousProbability: number | null;
  reasons: { direction: 'positive' | 'negative' | 'neutral'; text: string; source: string }[];
  nextActions: { id: string; sentence: string; severity: 'high' | 'medium' | 'low'; action: Record<string, unknown> }[];
  model: { version: number; source: 'portal' | 'prior'; target: string } | null;
  /** True while the portal's own data is too thin and a shipped prior model scored this record. */
  prior: boolean;
  dataQuality: string[];
  history: { probability: number; scoredAt: string }[];
  /** What moved the score since the previous one; null on a first score. */
  change: ScoreDetails['change'];
  /** What a rep could do to raise it, with the model's estimates; empty when nothing would by a point. */
  raise: ScoreDetails['raise'];
}

export async function readRecordInsights(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  externalId: string,
): Promise<RecordInsights | null> {
  const score = await selectScore(db, tenantId, objectType, externalId);
  return score ? insightsFromScore(objectType, externalId, score.details, score.scoredAt) : null;
}

/** A raw stored score row (its details parsed through the schema, never cast) as card insights. */
export function insightsFromScoreRow(
  objectType: ObjectType,
  externalId: string,
  row: { details: unknown; scored_at: Date | string },
): RecordInsights {
  return insightsFromScore(objectType, externalId, scoreDetailsSchema.parse(row.details), row.scored_at);
}

/** Stored score details, as the store parsed them, as card insights. */
export function insightsFromScore(objectType: ObjectType, externalId: string, d: ScoreDetails, scoredAt: Date | string): RecordInsights {
  return {
    objectType,
    externalId,
    scoredAt: new Date(scoredAt).toISOString(),
    probability: d.probability,
    score: d.score,
    tier: d.tier,
    dealScore: d.dealScore,
    grade: d.grade,
    trend: d.trend,
    previousProbability: d.previousProbability,
    reasons: d.reasons.map((r) => ({ direction: r.direction, text: r.text, source: r.source })),
    nextActions: d.nextActions,
    model: d.model ? { version: d.model.version, source: d.model.source, target: d.model.target } : null,
    prior: d.flags.includes('prior'),
    dataQuality: d.dataQuality,
    history: d.history,
    change: d.change,
    raise: d.raise,
  };
}
