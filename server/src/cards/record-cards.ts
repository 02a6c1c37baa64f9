import type { CompanyCardData, ContactCardData, DealCardData } from '@closewise/contract';
import { type Kysely, sql } from 'kysely';
import { SCORE_KINDS } from '../scoring/details.ts';
import { insightsFromScoreRow, listModels, type RecordInsights } from '../scoring/index.ts';
import type { Database, ObjectType } from '../store/schema.ts';
import { cardActions, cardModel, cardReasons, toPercent } from './card-mapping.ts';
import { companyEvidenceFrom, companyEvidenceSelections } from './company-evidence.ts';
import { activeSnoozes } from './snoozes.ts';

/** Card data for one record of one tenant, from the store; null when the tenant has no such record. */
export interface RecordCards {
  deal(tenantId: string, id: string): Promise<DealCardData | null>;
  contact(tenantId: string, id: string): Promise<ContactCardData | null>;
  company(tenantId: string, id: string): Promise<CompanyCardData | null>;
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

const NOUN: Record<ObjectType, string> = { deal: 'deal', contact: 'contact', company: 'company' };

export async function recordExists(db: Kysely<Database>, tenantId: string, objectType: ObjectType, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('crm_records')
    .select('external_id')
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('external_id', '=', id)
    // A record deleted (archived) in the CRM has no card.
    .where('archived', '=', false)
    .executeTakeFirst();
  return row !== undefined;
}

/** A model version's hold-out AUC never changes, so it is read once per process. */
const aucCache = new Map<string, number | null>();
const AUC_CACHE_LIMIT = 10_000;

async function modelAuc(db: Kysely<Database>, tenantId: string, insights: RecordInsights): Promise<number | null> {
  const model = insights.model;
  if (!model) return null;
  const key = `${tenantId}/${model.target}/${model.version}`;
  if (aucCache.has(key)) return aucCache.get(key) ?? null;
  const models = await listModels(db, tenantId, model.target as never);
  const auc = models.find((m) => m.version === model.version)?.card.holdout.auc ?? null;
  if (aucCache.size >= AUC_CACHE_LIMIT) aucCache.clear();
  aucCache.set(key, auc);
  return auc;
}

const notScored = (objectType: ObjectType, id: string) => ({
  state: 'not_scored' as const,
  id,
  message:
    objectType === 'deal'
      ? 'Closewise has not scored this deal yet. Open deals are scored after the next sync; closed deals are not scored.'
      : `Closewise has not scored this ${NOUN[objectType]} yet. It will be scored after the next sync.`,
});

export function createRecordCards(db: Kysely<Database>, today: () => string): RecordCards {
  async function load(tenantId: string, objectType: ObjectType, id: string) {
    // One round trip per card read: the record, its score and the tenant's snoozes (a rep is waiting, and
    // the read must stay inside hubspot.fetch's timeout under load).
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
    if (!row) return { exists: false as const };
    if (row.details === null || row.scored_at === null) return { exists: true as const, insights: null };
    const insights = insightsFromScoreRow(objectType, id, { details: row.details, scored_at: row.scored_at });
    const snoozed = activeSnoozes(row.snoozed, objectType, id, today());
    const company =
      objectType === 'company' ? companyEvidenceFrom({ facts: row.facts, openDeals: row.open_deals, contacts: row.contacts }) : null;
    return { exists: true as const, insights, snoozed, company, auc: await modelAuc(db, tenantId, insights) };
  }

  return {
    async deal(tenantId, id) {
      const loaded = await load(tenantId, 'deal', id);
      if (!loaded.exists) return null;
      if (!loaded.insights) return notScored('deal', id);
      const i = loaded.insights;
      const previous = i.history.length >= 2 ? i.history[i.history.length - 2]! : null;
      return {
        state: 'scored',
        id,
        winProbability: toPercent(i.probability),
        dealScore: i.dealScore ?? Math.min(5, Math.max(1, Math.ceil(i.probability * 5))),
        trend: {
          direction: i.trend,
          previousProbability: i.previousProbability === null ? null : toPercent(i.previousProbability),
          previousScoredAt: previous ? new Date(previous.scoredAt).toISOString() : null,
        },
        reasons: cardReasons(i),
        nextActions: cardActions(i, loaded.snoozed),
        model: cardModel(i, loaded.auc),
        scoredAt: i.scoredAt,
      };
    },

    async contact(tenantId, id) {
      const loaded = await load(tenantId, 'contact', id);
      if (!loaded.exists) return null;
      if (!loaded.insights) return notScored('contact', id);
      const i = loaded.insights;
      // Without a grade the card would have to invent one: say it is not scored instead.
      if (!/^[A-D][1-4]$/.test(i.grade ?? '') || !i.tier) return notScored('contact', id);
      const grade = i.grade as string;
      const fit = grade[0] as 'A' | 'B' | 'C' | 'D';
      const engagement = Number(grade[1]);
      return {
        state: 'scored',
        id,
        closeLikelihood90d: toPercent(i.probability),
        priorityTier: i.tier as 'very_high' | 'high' | 'medium' | 'low',
        leadGrade: {
          grade,
          fit,
          engagement,
          why: [
            `Profile fit ${fit}: ${{ A: 'among the best-fitting quarter', B: 'above the median', C: 'below the median', D: 'among the weakest-fitting quarter' }[fit]} of this portal's contacts, judged on firmographic and stated data only.`,
            `Engagement ${engagement}: ${{ 1: 'among the most engaged quarter', 2: 'above the median', 3: 'below the median', 4: 'among the least engaged quarter' }[engagement as 1 | 2 | 3 | 4]} by recent activity, weighted by recency.`,
          ],
        },
        reasons: cardReasons(i),
        nextActions: cardActions(i, loaded.snoozed),
        model: cardModel(i, loaded.auc),
        scoredAt: i.scoredAt,
      };
    },

    async company(tenantId, id) {
      const loaded = await load(tenantId, 'company', id);
      if (!loaded.exists) return null;
      if (!loaded.insights) return notScored('company', id);
      const i = loaded.insights;
      const evidence = loaded.company;
      if (!evidence) return notScored('company', id);
      const level = (['high', 'medium', 'lonely'].includes(i.tier ?? '') ? i.tier : 'medium') as 'high' | 'medium' | 'lonely';
      return {
        state: 'scored',
        id,
        engagement: { level, ...evidence.activity },
        openDeals: evidence.openDeals,
        contacts: evidence.contacts,
        nextActions: cardActions(i, loaded.snoozed),
        model: cardModel(i, loaded.auc),
        scoredAt: i.scoredAt,
      };
    },
  };
}
