import type { Kysely } from 'kysely';
import type { Database, ObjectType } from '../store/schema.ts';
import { type StoredScore, selectScoresOfRecords, selectScoresOfType, upsertScores } from '../store/tables/scores.ts';
import type { ScoreDetails } from './details.ts';
import type { PreviousScore } from './score-deals.ts';

/** Stored scores of a type: every record's for a full run, only the named ones' for a scope. */
function storedScores(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  ids: readonly string[] | null,
): Promise<StoredScore[]> {
  return ids === null ? selectScoresOfType(db, tenantId, objectType) : selectScoresOfRecords(db, tenantId, objectType, ids);
}

/** Each record's last probability scored before `now`, and its history (the trend and the history compare against it). */
export async function previousScores(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  now: number,
  ids: readonly string[] | null,
): Promise<Map<string, PreviousScore>> {
  const at = new Date(now).toISOString();
  const out = new Map<string, PreviousScore>();
  for (const stored of await storedScores(db, tenantId, objectType, ids)) {
    if (!stored.details) continue;
    const history = stored.details.history;
    const earlier = history.filter((h) => h.scoredAt < at);
    out.set(stored.externalId, { probability: earlier[earlier.length - 1]?.probability ?? null, history });
  }
  return out;
}

/** Keeps what was last written back, so pendingScoreWrites only sends what changed. */
export async function storeScores(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  scores: Map<string, ScoreDetails>,
  now: Date,
  scoped: boolean,
): Promise<void> {
  if (scores.size === 0) return;
  const existing = new Map(
    (await storedScores(db, tenantId, objectType, scoped ? [...scores.keys()] : null)).map((stored) => [stored.externalId, stored]),
  );
  const rows = [...scores.entries()].map(([externalId, details]) => {
    const before = existing.get(externalId);
    return {
      externalId,
      details: { ...details, written: before?.details?.written ?? null },
      scoredAt: now,
      writtenBackAt: before?.writtenBackAt ?? null,
    };
  });
  await upsertScores(db, tenantId, objectType, rows);
}
