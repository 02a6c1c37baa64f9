import type { Kysely } from 'kysely';
import type { ScoreWrite } from '../connectors/connector.ts';
import type { Database, ObjectType } from '../store/schema.ts';
import { recordWrittenFields, selectScoresOfLiveRecords } from '../store/tables/scores.ts';
import type { WriteFields } from './details.ts';

/** Key order does not matter: two field sets are the same when every field has the same value. */
function sameFields(a: WriteFields | null, b: WriteFields): boolean {
  if (!a) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof WriteFields)[]);
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

/**
 * Only records whose written values would change (rounded to whole percents, so noise is not re-sent), and
 * never records archived (deleted) in the CRM.
 */
export async function pendingScoreWrites(
  db: Kysely<Database>,
  tenantId: string,
  /** Only these records' (a rescored scope): one read of their rows, not of every score. */
  only?: { objectType: ObjectType; externalIds: readonly string[] },
): Promise<ScoreWrite[]> {
  const out: ScoreWrite[] = [];
  for (const score of await selectScoresOfLiveRecords(db, tenantId, only)) {
    if (!score.details) continue;
    const { write, written } = score.details;
    if (sameFields(written, write)) continue;
    out.push({ objectType: score.objectType, externalId: score.externalId, fields: { ...write, scoredAt: score.scoredAt } });
  }
  return out;
}

/**
 * Records what the connector wrote, so the next pendingScoreWrites skips unchanged records. One statement
 * per 500 writes (a demo portal writes thousands of records).
 */
export async function markScoresWritten(db: Kysely<Database>, tenantId: string, writes: ScoreWrite[], at: Date): Promise<void> {
  const written = writes.map((write) => {
    const { scoredAt: _scoredAt, ...fields } = write.fields;
    return { objectType: write.objectType, externalId: write.externalId, fields };
  });
  await recordWrittenFields(db, tenantId, written, at);
}
