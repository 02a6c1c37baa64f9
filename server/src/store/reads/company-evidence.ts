import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import { parseStored } from '../columns/parse-column.ts';
import { SCORE_KINDS } from '../columns/score-details.ts';

/**
 * The evidence behind a company's engagement level: its activity up to the moment it was scored (stored in
 * the company score's facts), its open deals and its contacts with their current scores. The three parts are
 * subqueries of the company card's single read (record-card.ts), so a company card costs one round trip
 * like the others: under load each extra round trip waits its turn for a pooled connection again.
 */

/** The part of a company score's stored facts the card shows; absent fields (older scores) read as unknown. */
const companyFactsSchema = z
  .object({
    lonelyDays: z.number().optional(),
    lastActivityAt: z.iso.datetime({ offset: true }).nullable().optional(),
    activities30d: z.number().int().min(0).optional(),
    activities90d: z.number().int().min(0).optional(),
  })
  .catch({});

const openDealsSchema = z.array(
  z.object({ id: z.string(), name: z.string().nullable(), stage_label: z.string(), probability: z.number().nullable() }),
);
const contactsSchema = z.array(
  z.object({ id: z.string(), name: z.string().nullable(), tier: z.string().nullable(), probability: z.number().nullable() }),
);

export interface CompanyEvidenceRow {
  facts: z.output<typeof companyFactsSchema>;
  openDeals: z.output<typeof openDealsSchema>;
  contacts: z.output<typeof contactsSchema>;
}

/** The card lists at most this many deals and contacts (the schema's limit). */
const LIST_LIMIT = 50;

/** Selections to add to a read of the company's crm_records row (aliased `crm_records`). */
export function companyEvidenceSelections(): { facts: RawBuilder<unknown>; openDeals: RawBuilder<unknown>; contacts: RawBuilder<unknown> } {
  const company = sql`crm_records`;
  return {
    // Computed with the engagement level at scoring time, so the card and the level always agree.
    facts: sql<unknown>`scores.details -> 'facts'`,
    openDeals: sql<unknown>`(
      SELECT coalesce(json_agg(row_to_json(d) ORDER BY d.probability DESC NULLS LAST, d.id), '[]'::json) FROM (
        SELECT r.external_id AS id, r.properties ->> 'name' AS name, st.label AS stage_label, s.probability
        FROM associations a
        JOIN crm_records r ON r.tenant_id = a.tenant_id AND r.object_type = 'deal' AND r.external_id = a.from_id
          AND NOT r.archived
        JOIN stages st ON st.tenant_id = r.tenant_id AND st.stage_id = r.properties ->> 'stage'
          AND (r.properties ->> 'pipeline' IS NULL OR st.pipeline_id = r.properties ->> 'pipeline')
        LEFT JOIN scores s ON s.tenant_id = r.tenant_id AND s.object_type = 'deal' AND s.external_id = r.external_id
          AND s.score_kind = ${SCORE_KINDS.deal}
        WHERE a.tenant_id = ${company}.tenant_id AND a.from_type = 'deal' AND a.to_type = 'company'
          AND a.to_id = ${company}.external_id AND st.outcome = 'open'
        ORDER BY s.probability DESC NULLS LAST, r.external_id
        LIMIT ${LIST_LIMIT}) d)`,
    contacts: sql<unknown>`(
      SELECT coalesce(json_agg(row_to_json(c) ORDER BY c.probability DESC NULLS LAST, c.id), '[]'::json) FROM (
        SELECT r.external_id AS id, r.properties ->> 'name' AS name, s.details ->> 'tier' AS tier, s.probability
        FROM associations a
        JOIN crm_records r ON r.tenant_id = a.tenant_id AND r.object_type = 'contact' AND r.external_id = a.from_id
          AND NOT r.archived
        LEFT JOIN scores s ON s.tenant_id = r.tenant_id AND s.object_type = 'contact' AND s.external_id = r.external_id
          AND s.score_kind = ${SCORE_KINDS.contact}
        WHERE a.tenant_id = ${company}.tenant_id AND a.from_type = 'contact' AND a.to_type = 'company'
          AND a.to_id = ${company}.external_id
        ORDER BY s.probability DESC NULLS LAST, r.external_id
        LIMIT ${LIST_LIMIT}) c)`,
  };
}

/** The evidence columns parsed (JSON arrives parsed from PostgreSQL and PGlite alike). */
export function parseCompanyEvidence(row: { facts: unknown; openDeals: unknown; contacts: unknown }, where: string): CompanyEvidenceRow {
  return {
    facts: companyFactsSchema.parse(row.facts ?? {}),
    openDeals: parseStored(openDealsSchema, row.openDeals ?? [], `open deals of ${where}`),
    contacts: parseStored(contactsSchema, row.contacts ?? [], `contacts of ${where}`),
  };
}
