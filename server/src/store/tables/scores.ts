import { type Kysely, sql } from 'kysely';
import { parseStored, parseStoredOrNull } from '../columns/parse-column.ts';
import { SCORE_KINDS, type ScoreDetails, scoreDetailsSchema, type WriteFields } from '../columns/score-details.ts';
import type { Database, ObjectType } from '../schema.ts';

/**
 * The `scores` table: each record's headline score (kind SCORE_KINDS[objectType]) with its details, parsed
 * here. Bulk reads skip a row whose details do not parse (the next scoring run overwrites it); a read of one
 * record's score fails with a StoredValueError that names the row.
 */
export interface StoredScore {
  externalId: string;
  /** null when the stored details are malformed. */
  details: ScoreDetails | null;
  writtenBackAt: Date | null;
}

/** Whether the tenant has any score at all (its first scoring run has not happened yet when not). */
export async function hasAnyScore(db: Kysely<Database>, tenantId: string): Promise<boolean> {
  const row = await db.selectFrom('scores').select('tenant_id').where('tenant_id', '=', tenantId).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function selectScoresOfType(db: Kysely<Database>, tenantId: string, objectType: ObjectType): Promise<StoredScore[]> {
  const rows = await db
    .selectFrom('scores')
    .select(['external_id', 'details', 'written_back_at'])
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('score_kind', '=', SCORE_KINDS[objectType])
    .execute();
  return rows.map((row) => ({
    externalId: row.external_id,
    details: parseStoredOrNull(scoreDetailsSchema, row.details),
    writtenBackAt: row.written_back_at === null ? null : new Date(row.written_back_at),
  }));
}

/** The scores of some records of one type (a rescored scope's previous scores), as selectScoresOfType reads them. */
export async function selectScoresOfRecords(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  externalIds: readonly string[],
): Promise<StoredScore[]> {
  if (externalIds.length === 0) return [];
  const rows = await db
    .selectFrom('scores')
    .select(['external_id', 'details', 'written_back_at'])
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('score_kind', '=', SCORE_KINDS[objectType])
    .where('external_id', 'in', [...externalIds])
    .execute();
  return rows.map((row) => ({
    externalId: row.external_id,
    details: parseStoredOrNull(scoreDetailsSchema, row.details),
    writtenBackAt: row.written_back_at === null ? null : new Date(row.written_back_at),
  }));
}

/** One record's score; null when it has none. */
export async function selectScore(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  externalId: string,
): Promise<{ details: ScoreDetails; scoredAt: Date } | null> {
  const row = await db
    .selectFrom('scores')
    .select(['details', 'scored_at'])
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('external_id', '=', externalId)
    .where('score_kind', '=', SCORE_KINDS[objectType])
    .executeTakeFirst();
  if (!row) return null;
  const details = parseStored(scoreDetailsSchema, row.details, `scores.details of ${objectType} ${externalId} (tenant ${tenantId})`);
  return { details, scoredAt: new Date(row.scored_at) };
}

export interface ScoreUpsert {
  externalId: string;
  details: ScoreDetails;
  scoredAt: Date;
  writtenBackAt: Date | null;
}

/** Inserts or replaces scores; the write-back time of an existing row is kept (the caller passes it through). */
export async function upsertScores(db: Kysely<Database>, tenantId: string, objectType: ObjectType, scores: ScoreUpsert[]): Promise<void> {
  const rows = scores.map((s) => ({
    tenant_id: tenantId,
    object_type: objectType,
    external_id: s.externalId,
    score_kind: SCORE_KINDS[objectType],
    model_id: s.details.model?.id ?? null,
    probability: s.details.probability,
    details: JSON.stringify(s.details),
    scored_at: s.scoredAt,
    written_back_at: s.writtenBackAt,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('scores')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'object_type', 'external_id', 'score_kind']).doUpdateSet((eb) => ({
          model_id: eb.ref('excluded.model_id'),
          probability: eb.ref('excluded.probability'),
          details: eb.ref('excluded.details'),
          scored_at: eb.ref('excluded.scored_at'),
        })),
      )
      .execute();
  }
}

export interface WritableScore {
  objectType: ObjectType;
  externalId: string;
  /** null when the stored details are malformed. */
  details: ScoreDetails | null;
  scoredAt: Date;
}

/** Every score of a record the CRM still has, by object type and id: the candidates for write-back. */
export async function selectScoresOfLiveRecords(
  db: Kysely<Database>,
  tenantId: string,
  /** Only these records (a rescored scope's write-back); default every record. */
  only?: { objectType: ObjectType; externalIds: readonly string[] },
): Promise<WritableScore[]> {
  if (only && only.externalIds.length === 0) return [];
  let query = db.selectFrom('scores').select(['object_type', 'external_id', 'details', 'scored_at']).where('tenant_id', '=', tenantId);
  if (only) query = query.where('object_type', '=', only.objectType).where('external_id', 'in', [...only.externalIds]);
  const rows = await query
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
  return rows.map((row) => ({
    objectType: row.object_type,
    externalId: row.external_id,
    details: parseStoredOrNull(scoreDetailsSchema, row.details),
    scoredAt: new Date(row.scored_at),
  }));
}

/** Records the fields a connector wrote, so the next write-back skips unchanged records. One statement per 500. */
export async function recordWrittenFields(
  db: Kysely<Database>,
  tenantId: string,
  writes: { objectType: ObjectType; externalId: string; fields: WriteFields }[],
  at: Date,
): Promise<void> {
  for (let i = 0; i < writes.length; i += 500) {
    const rows = writes.slice(i, i + 500).map((w) => sql`(${w.objectType}, ${w.externalId}, ${JSON.stringify(w.fields)})`);
    await sql`
      update scores set details = jsonb_set(scores.details, '{written}', v.fields::jsonb), written_back_at = ${at}
      from (values ${sql.join(rows)}) as v(object_type, external_id, fields)
      where scores.tenant_id = ${tenantId} and scores.object_type = v.object_type and scores.external_id = v.external_id
    `.execute(db);
  }
}

export interface DealScoreLine {
  externalId: string;
  probability: number;
  properties: Record<string, string | null>;
  stageLabel: string | null;
}

/** Every deal score with its record's properties and stage label, most likely first (the demo's summary). */
export async function selectDealScoreLines(db: Kysely<Database>, tenantId: string): Promise<DealScoreLine[]> {
  const rows = await db
    .selectFrom('scores')
    .innerJoin('crm_records', (join) =>
      join
        .onRef('crm_records.tenant_id', '=', 'scores.tenant_id')
        .onRef('crm_records.object_type', '=', 'scores.object_type')
        .onRef('crm_records.external_id', '=', 'scores.external_id'),
    )
    .leftJoin('stages', (join) =>
      join
        .onRef('stages.tenant_id', '=', 'scores.tenant_id')
        .on((eb) => eb(eb.ref('stages.stage_id'), '=', eb.ref('crm_records.properties', '->>').key('stage'))),
    )
    .select(['scores.external_id', 'scores.probability', 'crm_records.properties', 'stages.label as stage_label'])
    .where('scores.tenant_id', '=', tenantId)
    .where('scores.score_kind', '=', SCORE_KINDS.deal)
    .orderBy('scores.probability', 'desc')
    .orderBy('scores.external_id')
    .execute();
  return rows.map((r) => ({ externalId: r.external_id, probability: r.probability, properties: r.properties, stageLabel: r.stage_label }));
}

/** The probabilities of one object type's scores, by record id. */
export async function selectProbabilities(db: Kysely<Database>, tenantId: string, objectType: ObjectType): Promise<number[]> {
  const rows = await db
    .selectFrom('scores')
    .select('probability')
    .where('tenant_id', '=', tenantId)
    .where('score_kind', '=', SCORE_KINDS[objectType])
    .orderBy('external_id')
    .execute();
  return rows.map((r) => r.probability);
}

/** The first `limit` scored record ids of one object type, by id. */
export async function selectScoredIds(db: Kysely<Database>, tenantId: string, objectType: ObjectType, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('scores')
    .select('external_id')
    .where('tenant_id', '=', tenantId)
    .where('score_kind', '=', SCORE_KINDS[objectType])
    .orderBy('external_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.external_id);
}

/** The id of the record of this type with the highest score (ties: lowest id); null when none is scored. */
export async function selectTopScoredId(db: Kysely<Database>, tenantId: string, objectType: ObjectType): Promise<string | null> {
  const row = await db
    .selectFrom('scores')
    .select('external_id')
    .where('tenant_id', '=', tenantId)
    .where('score_kind', '=', SCORE_KINDS[objectType])
    .orderBy('probability', 'desc')
    .orderBy('external_id')
    .executeTakeFirst();
  return row?.external_id ?? null;
}

/** Removes the scores of these records (an erased or merged-away record's own). */
export async function deleteScoresOfRecords(
  db: Kysely<Database>,
  tenantId: string,
  records: readonly { objectType: string; externalId: string }[],
): Promise<void> {
  for (const record of records) {
    await db
      .deleteFrom('scores')
      .where('tenant_id', '=', tenantId)
      .where('object_type', '=', record.objectType as ObjectType)
      .where('external_id', '=', record.externalId)
      .execute();
  }
}

/**
 * Removes the scores of these (linked) records whose details name the erased record: its id in a next
 * action, or its display name in a reason. The others keep their score and its trend history; all of them
 * are rescored right after, without it.
 */
export async function deleteScoresMentioning(
  db: Kysely<Database>,
  tenantId: string,
  records: readonly { objectType: string; externalId: string }[],
  mention: { id: string; texts: readonly string[] },
): Promise<void> {
  const idPattern = `(^|[^0-9])${mention.id.replace(/[^0-9A-Za-z]/g, '')}([^0-9]|$)`;
  for (const record of records) {
    await db
      .deleteFrom('scores')
      .where('tenant_id', '=', tenantId)
      .where('object_type', '=', record.objectType as ObjectType)
      .where('external_id', '=', record.externalId)
      .where((eb) =>
        eb.or([
          sql<boolean>`details::text ~ ${idPattern}`,
          ...mention.texts.map((text) => sql<boolean>`position(lower(${text}) in lower(details::text)) > 0`),
        ]),
      )
      .execute();
  }
}
