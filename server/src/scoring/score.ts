import type { Kysely } from 'kysely';
import { refreshPlannerStatistics } from '../store/planner-statistics.ts';
import type { Database, ObjectType } from '../store/schema.ts';
import { hasAnyScore, selectScoresOfType, upsertScores } from '../store/tables/scores.ts';
import { scanDataQuality } from './data-quality.ts';
import type { ScoreDetails } from './details.ts';
import { buildPortalStats } from './portal-stats.ts';
import { loadLiveModels } from './runtime.ts';
import { companyDetailsAll } from './score-companies.ts';
import { contactDetailsAll, scoreContacts } from './score-contacts.ts';
import { dealDetails, openDeals, type PreviousScore, predictDeals } from './score-deals.ts';
import { loadTenantData } from './tenant-data.ts';
import type { ProgressFn } from './train.ts';

export interface ScoringReport {
  tenantId: string;
  scoredAt: string;
  counts: { deals: number; contacts: number; companies: number };
  /** Scores per model source: how many came from a shipped prior. */
  bySource: { portal: number; prior: number };
  models: { target: string; version: number; source: 'portal' | 'prior' }[];
  /** Records whose odd values were treated as unknown. */
  dataQualityFlagged: number;
}

async function previousScores(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  now: number,
): Promise<Map<string, PreviousScore>> {
  const at = new Date(now).toISOString();
  const out = new Map<string, PreviousScore>();
  for (const stored of await selectScoresOfType(db, tenantId, objectType)) {
    if (!stored.details) continue;
    const history = stored.details.history;
    const earlier = history.filter((h) => h.scoredAt < at);
    out.set(stored.externalId, { probability: earlier[earlier.length - 1]?.probability ?? null, history });
  }
  return out;
}

/** Keeps what was last written back, so pendingScoreWrites only sends what changed. */
async function storeScores(
  db: Kysely<Database>,
  tenantId: string,
  objectType: ObjectType,
  scores: Map<string, ScoreDetails>,
  now: Date,
): Promise<void> {
  const existing = new Map((await selectScoresOfType(db, tenantId, objectType)).map((stored) => [stored.externalId, stored]));
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

/** Scores every open deal, every contact and every company as of `now` and stores the scores with their details. */
export async function scoreTenant(
  db: Kysely<Database>,
  tenantId: string,
  options: { now: Date; onProgress?: ProgressFn },
): Promise<ScoringReport> {
  return scoreScope(db, tenantId, options.now, options.onProgress ?? (() => undefined), null);
}

/**
 * Event-driven rescoring of a few records (a webhook said they changed). Portal-level context — priority
 * quartiles, lonely threshold, stage norms — is still computed from the whole portal, so a record scores
 * exactly as in a full run; only the named records are explained and stored. Closed deals are not rescored.
 */
export async function scoreRecords(
  db: Kysely<Database>,
  tenantId: string,
  options: { now: Date; objectType: ObjectType; externalIds: string[] },
): Promise<ScoringReport> {
  return scoreScope(db, tenantId, options.now, () => undefined, { objectType: options.objectType, ids: new Set(options.externalIds) });
}

async function scoreScope(
  db: Kysely<Database>,
  tenantId: string,
  at: Date,
  progress: ProgressFn,
  scope: { objectType: ObjectType; ids: ReadonlySet<string> } | null,
): Promise<ScoringReport> {
  const now = at.getTime();
  // A tenant's first full run follows its first sync: the planner has not seen its rows yet (see below).
  const firstRun = scope === null && !(await hasAnyScore(db, tenantId));
  const wants = (type: ObjectType) => scope === null || scope.objectType === type;
  const only = (type: ObjectType, scores: Map<string, ScoreDetails>) =>
    scope === null ? scores : new Map([...scores].filter(([id]) => scope.objectType === type && scope.ids.has(id)));
  progress('loading models', 0, 4);
  const models = await loadLiveModels(db, tenantId, at);
  const data = await loadTenantData(db, tenantId);
  const stats = buildPortalStats(data);
  const quality = scanDataQuality(data, stats, now).records;
  const qualityOf = (key: string) => [...(quality.get(key) ?? [])].sort();

  progress('scoring deals', 1, 4);
  const dealScores = new Map<string, ScoreDetails>();
  if (wants('deal')) {
    const deals = openDeals(stats, now).filter((f) => scope === null || scope.ids.has(f.record.id));
    const predictions = await predictDeals(data, stats, models, deals, now, true);
    const previousDeals = await previousScores(db, tenantId, 'deal', now);
    for (const facts of deals) {
      const scored = predictions.get(facts.record.id);
      if (!scored) continue;
      dealScores.set(
        facts.record.id,
        dealDetails(data, facts, scored, models, previousDeals.get(facts.record.id), qualityOf(facts.record.key), now),
      );
    }
    await storeScores(db, tenantId, 'deal', dealScores, at);
  }

  progress('scoring contacts', 2, 4);
  let contactScores = new Map<string, ScoreDetails>();
  if (wants('contact')) {
    const scoredContacts = await scoreContacts(data, stats, models, now, scope?.ids);
    const previous = await previousScores(db, tenantId, 'contact', now);
    contactScores = only('contact', contactDetailsAll(data, models, scoredContacts, previous, quality, now));
    await storeScores(db, tenantId, 'contact', contactScores, at);
  }

  progress('scoring companies', 3, 4);
  let companyScores = new Map<string, ScoreDetails>();
  if (wants('company')) {
    companyScores = only('company', companyDetailsAll(data, stats, await previousScores(db, tenantId, 'company', now), quality, now));
    await storeScores(db, tenantId, 'company', companyScores, at);
  }
  // Only after a tenant's first run: later ones change rows the planner already knows, autovacuum keeps
  // up with them, and ANALYZE after every tenant's nightly run would cost the whole database each time.
  if (firstRun) await refreshPlannerStatistics(db);
  progress('scoring done', 4, 4);

  const all = [...dealScores.values(), ...contactScores.values()];
  return {
    tenantId,
    scoredAt: at.toISOString(),
    counts: { deals: dealScores.size, contacts: contactScores.size, companies: companyScores.size },
    bySource: {
      portal: all.filter((d) => d.model?.source === 'portal').length,
      prior: all.filter((d) => d.model?.source === 'prior').length,
    },
    models: Object.values(models).map((m) => ({ target: m.model.target, version: m.model.version, source: m.model.card.source })),
    dataQualityFlagged: all.filter((d) => d.dataQuality.length > 0).length,
  };
}
