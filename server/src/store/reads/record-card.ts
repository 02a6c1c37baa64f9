import { type Kysely, sql } from 'kysely';
import { parseStored } from '../columns/parse-column.ts';
import { SCORE_KINDS, type ScoreDetails, scoreDetailsSchema } from '../columns/score-details.ts';
import { type Snoozed, snoozedSchema } from '../columns/tenant-settings.ts';
import type { Database, ObjectType } from '../schema.ts';
import { type CompanyEvidenceRow, companyEvidenceSelections, parseCompanyEvidence } from './company-evidence.ts';

/**
 * Everything one card shows, in one round trip: the record, its score and the tenant's snoozes (a rep is
 * waiting, and the read must stay inside hubspot.fetch's timeout under load). It spans several tables on
 * purpose, which is why it is a read of its own rather than a function of one table's module.
 */
export interface CardRead {
  /** null when the record has not been scored. */
  score: { details: ScoreDetails; scoredAt: Date } | null;
  snoozed: Snoozed;
  /** Companies only: their activity, open deals and contacts. */
  company: CompanyEvidenceRow | null;
}

/** One card read's row; the evidence columns are selected for companies only. */
interface CardRow {
  details: unknown;
  scored_at: Date | null;
  snoozed: unknown;
  facts?: unknown;
  open_deals?: unknown;
  contacts?: unknown;
}

/** The card's data; null when the tenant has no such live record. */
export async function selectCardRead(db: Kysely<Database>, tenantId: string, objectType: ObjectType, id: string): Promise<CardRead | null> {
  const base = db
    .selectFrom('crm_records')
    .innerJoin('tenants', 'tenants.id', 'crm_records.tenant_id')
    .leftJoin('scores', (join) =>
      join
        .onRef('scores.tenant_id', '=', 'crm_records.tenant_id')
        .onRef('scores.object_type', '=', 'crm_records.object_type')
        .onRef('scores.external_id', '=', 'crm_records.external_id')
        .on('scores.score_kind', '=', SCORE_KINDS[objectType]),
    )
    .select([
      // What the card does not show stays in the database.
      sql<unknown>`scores.details - 'written' - 'facts'`.as('details'),
      'scores.scored_at',
      sql<unknown>`tenants.settings -> 'snoozed'`.as('snoozed'),
    ])
    .where('crm_records.tenant_id', '=', tenantId)
    .where('crm_records.object_type', '=', objectType)
    .where('crm_records.external_id', '=', id)
    .where('crm_records.archived', '=', false);
  // A company card also lists its deals and contacts: subqueries of the same read, not extra round trips.
  const evidence = companyEvidenceSelections();
  const row: CardRow | undefined =
    objectType === 'company'
      ? await base
          .select([evidence.facts.as('facts'), evidence.openDeals.as('open_deals'), evidence.contacts.as('contacts')])
          .executeTakeFirst()
      : await base.executeTakeFirst();
  if (!row) return null;
  if (row.details === null || row.scored_at === null) return { score: null, snoozed: {}, company: null };
  const where = `${objectType} ${id} (tenant ${tenantId})`;
  return {
    score: { details: parseStored(scoreDetailsSchema, row.details, `scores.details of ${where}`), scoredAt: new Date(row.scored_at) },
    snoozed: snoozedSchema.parse(row.snoozed ?? {}),
    company:
      objectType === 'company'
        ? parseCompanyEvidence({ facts: row.facts, openDeals: row.open_deals, contacts: row.contacts }, where)
        : null,
  };
}
