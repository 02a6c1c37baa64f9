import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { SCORE_KINDS } from '../scoring/details.ts';
import type { Database } from '../store/schema.ts';
import { toPercent } from './card-mapping.ts';

/** The part of a company score's stored facts the card shows; absent fields (older scores) read as unknown. */
const companyFactsSchema = z
  .object({
    lonelyDays: z.number().optional(),
    lastActivityAt: z.iso.datetime({ offset: true }).nullable().optional(),
    activities30d: z.number().int().min(0).optional(),
    activities90d: z.number().int().min(0).optional(),
  })
  .catch({});
/** The card lists at most this many deals and contacts (the schema's limit). */
const LIST_LIMIT = 50;

/**
 * The evidence behind a company's engagement level: its activity (logged on the company or on its
 * contacts) up to the moment it was scored, its open deals and its contacts with their scores.
 */
export async function companyEvidence(db: Kysely<Database>, tenantId: string, companyId: string) {
  const [contactIds, dealIds] = (await Promise.all(
    (['contact', 'deal'] as const).map(async (fromType) =>
      (
        await db
          .selectFrom('associations')
          .select('from_id')
          .where('tenant_id', '=', tenantId)
          .where('from_type', '=', fromType)
          .where('to_type', '=', 'company')
          .where('to_id', '=', companyId)
          .execute()
      ).map((r) => r.from_id),
    ),
  )) as [string[], string[]];

  // The activity evidence was computed with the engagement level at scoring time (scores.details.facts):
  // reading it back keeps the card consistent with the level and cheap to serve.
  const scoreRow = await db
    .selectFrom('scores')
    .select(sql<unknown>`details -> 'facts'`.as('facts'))
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', 'company')
    .where('external_id', '=', companyId)
    .where('score_kind', '=', SCORE_KINDS.company)
    .executeTakeFirst();
  const facts = companyFactsSchema.parse(scoreRow?.facts ?? {});
  const lonelyWindowDays = facts.lonelyDays !== undefined && facts.lonelyDays >= 1 ? Math.round(facts.lonelyDays) : 30;

  const openDeals = dealIds.length
    ? await db
        .selectFrom('crm_records')
        .innerJoin('stages', (join) =>
          join
            .onRef('stages.tenant_id', '=', 'crm_records.tenant_id')
            .on((eb) => eb(eb.ref('stages.stage_id'), '=', eb.ref('crm_records.properties', '->>').key('stage'))),
        )
        .leftJoin('scores', (join) =>
          join
            .onRef('scores.tenant_id', '=', 'crm_records.tenant_id')
            .onRef('scores.external_id', '=', 'crm_records.external_id')
            .on('scores.object_type', '=', 'deal')
            .on('scores.score_kind', '=', SCORE_KINDS.deal),
        )
        .select(['crm_records.external_id', 'crm_records.properties', 'stages.label', 'scores.probability'])
        .where('crm_records.tenant_id', '=', tenantId)
        .where('crm_records.object_type', '=', 'deal')
        .where('crm_records.external_id', 'in', dealIds)
        .where('stages.outcome', '=', 'open')
        .orderBy('scores.probability', 'desc')
        .limit(LIST_LIMIT)
        .execute()
    : [];

  const contacts = contactIds.length
    ? await db
        .selectFrom('crm_records')
        .leftJoin('scores', (join) =>
          join
            .onRef('scores.tenant_id', '=', 'crm_records.tenant_id')
            .onRef('scores.external_id', '=', 'crm_records.external_id')
            .on('scores.object_type', '=', 'contact')
            .on('scores.score_kind', '=', SCORE_KINDS.contact),
        )
        .select([
          'crm_records.external_id',
          'crm_records.properties',
          'scores.probability',
          sql<string | null>`scores.details ->> 'tier'`.as('tier'),
        ])
        .where('crm_records.tenant_id', '=', tenantId)
        .where('crm_records.object_type', '=', 'contact')
        .where('crm_records.external_id', 'in', contactIds)
        .orderBy('scores.probability', 'desc')
        .limit(LIST_LIMIT)
        .execute()
    : [];

  return {
    activity: {
      lastActivityAt: facts.lastActivityAt ?? null,
      activityCount30d: facts.activities30d ?? 0,
      activityCount90d: facts.activities90d ?? 0,
      lonelyWindowDays,
    },
    openDeals: openDeals.map((d) => ({
      id: d.external_id,
      name: (d.properties.name ?? `Deal ${d.external_id}`).slice(0, 500),
      stageLabel: d.label.slice(0, 200),
      winProbability: d.probability === null ? null : toPercent(d.probability),
    })),
    contacts: contacts.map((c) => {
      const tier = c.tier;
      return {
        id: c.external_id,
        name: (c.properties.name ?? `Contact ${c.external_id}`).slice(0, 500),
        priorityTier: (tier === 'very_high' || tier === 'high' || tier === 'medium' || tier === 'low' ? tier : null) as
          | 'very_high'
          | 'high'
          | 'medium'
          | 'low'
          | null,
        closeLikelihood90d: c.probability === null ? null : toPercent(c.probability),
      };
    }),
  };
}
