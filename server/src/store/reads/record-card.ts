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
  /** The record's name in the CRM (null: it has none). */
  name: string | null;
  /** null when the record has not been scored. */
  score: { details: ScoreDetails; scoredAt: Date } | null;
  snoozed: Snoozed;
  /** Companies only: their activity, open deals and contacts. */
  company: CompanyEvidenceRow | null;
  /** Whether the record's outcome is known (a closed deal, a contact who became a customer), from its CRM values. */
  outcome: RecordOutcome;
}

export interface RecordOutcome {
  /** Deals: their stage's outcome; null for other records and for a stage Closewise does not know. */
  dealOutcome: 'open' | 'won' | 'lost' | null;
  stageLabel: string | null;
  /** Deals: when they closed (the stage change, else the close date), ISO; null while open or unknown. */
  closedAt: string | null;
  /** Contacts: their lifecycle stage in Closewise's words ('customer', 'lead', ...). */
  lifecycle: string | null;
  /** Contacts: when the lifecycle stage first became customer, ISO. */
  customerSince: string | null;
}

/** One card read's row; the evidence columns are selected for companies only. */
interface CardRow {
  name: string | null;
  details: unknown;
  scored_at: Date | null;
  snoozed: unknown;
  facts?: unknown;
  open_deals?: unknown;
  contacts?: unknown;
  stage_outcome: 'open' | 'won' | 'lost' | null;
  stage_label: string | null;
  closed_at: string | null;
  lifecycle: string | null;
  customer_since: string | null;
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
    // A deal's stage says whether it is closed; the CRM values are in the record's neutral properties.
    .leftJoin('stages', (join) =>
      join
        .onRef('stages.tenant_id', '=', 'crm_records.tenant_id')
        .on(sql<boolean>`stages.pipeline_id = crm_records.properties ->> 'pipeline'`)
        .on(sql<boolean>`stages.stage_id = crm_records.properties ->> 'stage'`),
    )
    .select([
      'stages.outcome as stage_outcome',
      'stages.label as stage_label',
      sql<string | null>`crm_records.properties ->> 'closed_at'`.as('closed_at'),
      sql<string | null>`crm_records.properties ->> 'lifecycle'`.as('lifecycle'),
      sql<string | null>`crm_records.properties ->> 'became_customer_at'`.as('customer_since'),
      // What the card does not show stays in the database.
      sql<string | null>`crm_records.properties ->> 'name'`.as('name'),
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
  const outcome = outcomeOf(objectType, row);
  const name = row.name?.trim() ? row.name.trim() : null;
  if (row.details === null || row.scored_at === null) return { name, score: null, snoozed: {}, company: null, outcome };
  const where = `${objectType} ${id} (tenant ${tenantId})`;
  return {
    name,
    score: { details: parseStored(scoreDetailsSchema, row.details, `scores.details of ${where}`), scoredAt: new Date(row.scored_at) },
    snoozed: snoozedSchema.parse(row.snoozed ?? {}),
    company:
      objectType === 'company'
        ? parseCompanyEvidence({ facts: row.facts, openDeals: row.open_deals, contacts: row.contacts }, where)
        : null,
    outcome,
  };
}

function outcomeOf(objectType: ObjectType, row: CardRow): RecordOutcome {
  const isoOrNull = (value: string | null) => {
    const ms = value ? Date.parse(value) : Number.NaN;
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  };
  return {
    dealOutcome: objectType === 'deal' ? (row.stage_outcome ?? null) : null,
    stageLabel: objectType === 'deal' ? (row.stage_label ?? null) : null,
    closedAt: objectType === 'deal' ? isoOrNull(row.closed_at) : null,
    lifecycle: objectType === 'contact' ? (row.lifecycle ?? null) : null,
    customerSince: objectType === 'contact' ? isoOrNull(row.customer_since) : null,
  };
}
