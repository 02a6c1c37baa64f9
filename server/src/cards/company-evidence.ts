import { type Kysely, sql } from 'kysely';
import { SCORE_KINDS } from '../scoring/details.ts';
import type { Database } from '../store/schema.ts';
import { toPercent } from './card-mapping.ts';

const DAY_MS = 86_400_000;
/** The card lists at most this many deals and contacts (the schema's limit). */
const LIST_LIMIT = 50;

/**
 * The evidence behind a company's engagement level: its activity (logged on the company or on its
 * contacts) up to the moment it was scored, its open deals and its contacts with their scores.
 */
export async function companyEvidence(db: Kysely<Database>, tenantId: string, companyId: string, asOf: Date) {
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

  // Activities logged on the company and on its contacts: two index lookups (an OR across them would scan).
  const activitiesOn = (toType: 'company' | 'contact', ids: string[]) =>
    ids.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('associations')
          .innerJoin('activities', (join) =>
            join
              .onRef('activities.tenant_id', '=', 'associations.tenant_id')
              .onRef('activities.kind', '=', 'associations.from_type')
              .onRef('activities.external_id', '=', 'associations.from_id'),
          )
          .select(['activities.kind', 'activities.external_id', 'activities.occurred_at'])
          .where('associations.tenant_id', '=', tenantId)
          .where('associations.to_type', '=', toType)
          .where('associations.to_id', 'in', ids)
          .where('activities.occurred_at', '<=', asOf)
          .execute();
  const activityRows = (await Promise.all([activitiesOn('company', [companyId]), activitiesOn('contact', contactIds)])).flat();
  const unique = new Map(activityRows.map((a) => [`${a.kind}/${a.external_id}`, new Date(a.occurred_at).getTime()]));
  const times = [...unique.values()];
  const since = (days: number) => times.filter((t) => t >= asOf.getTime() - days * DAY_MS).length;
  const last = times.length ? Math.max(...times) : null;

  const scoreRow = await db
    .selectFrom('scores')
    .select(sql<unknown>`details -> 'facts' -> 'lonelyDays'`.as('lonely_days'))
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', 'company')
    .where('external_id', '=', companyId)
    .where('score_kind', '=', SCORE_KINDS.company)
    .executeTakeFirst();
  // Only the fields the card shows are read out of the stored details (parsing them all costs a rep's wait).
  const lonelyDays = scoreRow?.lonely_days;
  const lonelyWindowDays = typeof lonelyDays === 'number' && lonelyDays >= 1 ? Math.round(lonelyDays) : 30;

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
      lastActivityAt: last === null ? null : new Date(last).toISOString(),
      activityCount30d: since(30),
      activityCount90d: since(90),
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
