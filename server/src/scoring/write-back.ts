import { type Kysely, sql } from 'kysely';
import type { ScoreWrite } from '../connectors/connector.ts';
import type { Database } from '../store/schema.ts';
import { scoreDetailsSchema, type WriteFields } from './details.ts';

/** Key order does not matter: two field sets are the same when every field has the same value. */
function sameFields(a: WriteFields | null, b: WriteFields): boolean {
  if (!a) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  return true;
}

/**
 * Only records whose written values would change (rounded to whole percents, so noise is not re-sent), and
 * never records archived (deleted) in the CRM.
 */
export async function pendingScoreWrites(db: Kysely<Database>, tenantId: string): Promise<ScoreWrite[]> {
  const rows = await db
    .selectFrom('scores')
    .select(['object_type', 'external_id', 'details', 'scored_at'])
    .where('tenant_id', '=', tenantId)
    // A record deleted in the CRM keeps its score row (history) but is never written: the write would 404.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('crm_records')
            .select('crm_records.external_id')
            .whereRef('crm_records.tenant_id', '=', 'scores.tenant_id')
            .whereRef('crm_records.object_type', '=', 'scores.object_type')
            .whereRef('crm_records.external_id', '=', 'scores.external_id')
            .where('crm_records.archived', '=', true),
        ),
      ),
    )
    .orderBy('object_type')
    .orderBy('external_id')
    .execute();
  const out: ScoreWrite[] = [];
  for (const row of rows) {
    const parsed = scoreDetailsSchema.safeParse(row.details);
    if (!parsed.success) continue;
    const { write, written } = parsed.data;
    if (sameFields(written, write)) continue;
    out.push({ objectType: row.object_type, externalId: row.external_id, fields: { ...write, scoredAt: new Date(row.scored_at) } });
  }
  return out;
}

/**
 * Records what the connector wrote, so the next pendingScoreWrites skips unchanged records. One statement
 * per 500 writes (a demo portal writes thousands of records).
 */
export async function markScoresWritten(db: Kysely<Database>, tenantId: string, writes: ScoreWrite[], at: Date): Promise<void> {
  for (let i = 0; i < writes.length; i += 500) {
    const rows = writes.slice(i, i + 500).map((write) => {
      const { scoredAt: _scoredAt, ...fields } = write.fields;
      return sql`(${write.objectType}, ${write.externalId}, ${JSON.stringify(fields)})`;
    });
    await sql`
      update scores set details = jsonb_set(scores.details, '{written}', v.fields::jsonb), written_back_at = ${at}
      from (values ${sql.join(rows)}) as v(object_type, external_id, fields)
      where scores.tenant_id = ${tenantId} and scores.object_type = v.object_type and scores.external_id = v.external_id
    `.execute(db);
  }
}
