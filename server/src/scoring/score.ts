import type { Kysely } from 'kysely';
import { refreshPlannerStatistics } from '../store/planner-statistics.ts';
import type { Database, ObjectType } from '../store/schema.ts';
import { upsertPortalContext } from '../store/tables/portal-contexts.ts';
import { hasAnyScore } from '../store/tables/scores.ts';
import { scanDataQuality } from './data-quality.ts';
import type { ScoreDetails } from './details.ts';
import { type ProgressFn, phaseProgress } from './phase-progress.ts';
import { buildPortalContext } from './portal-context.ts';
import { buildPortalStats } from './portal-stats.ts';
import { loadLiveModels } from './runtime.ts';
import { accountStates, companyDetailsAll, companyNormsOf } from './score-companies.ts';
import { contactCutsOf, contactDetailsAll, raiseContacts, scoreContacts } from './score-contacts.ts';
import { dealDetails, openDeals, predictDeals, raiseDeals } from './score-deals.ts';
import { scoreScopeFromContext } from './score-scope.ts';
import { type ScoringReport, scoringReport } from './scoring-report.ts';
import { previousScores, storeScores } from './stored-scores.ts';
import { loadTenantData } from './tenant-data.ts';

export type { ScoringReport } from './scoring-report.ts';

/** Scores every open deal, every contact and every company as of `now` and stores the scores with their details. */
export async function scoreTenant(
  db: Kysely<Database>,
  tenantId: string,
  options: { now: Date; onProgress?: ProgressFn },
): Promise<ScoringReport> {
  return scoreScope(db, tenantId, options.now, options.onProgress ?? (() => undefined), null);
}

/**
 * Event-driven rescoring of a few records of one type (a card click, a webhook, the Salesforce rescore
 * endpoint). Reads the portal context the last full run stored and the records' own rows (score-scope.ts),
 * so the cost does not grow with the portal; a record scores exactly as the full run at that moment scored
 * it. Without a usable context (never fully scored, models or settings changed since) it takes the full path
 * once, which stores a new context. Closed deals are not rescored.
 */
export async function scoreRecords(
  db: Kysely<Database>,
  tenantId: string,
  options: { now: Date; objectType: ObjectType; externalIds: string[] },
): Promise<ScoringReport> {
  const scoped = await scoreScopeFromContext(db, tenantId, options);
  if (scoped) return scoped;
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
  const inScope = (type: ObjectType, id: string) => scope === null || (scope.objectType === type && scope.ids.has(id));
  const scopeIds = (type: ObjectType) => (scope === null ? null : scope.objectType === type ? [...scope.ids] : []);
  const phases = phaseProgress(progress);
  phases.start('loading models');
  const models = await loadLiveModels(db, tenantId, at);
  const data = await loadTenantData(db, tenantId);
  const stats = buildPortalStats(data);
  const quality = scanDataQuality(data, stats, now).records;
  const qualityOf = (key: string) => [...(quality.get(key) ?? [])].sort();

  phases.start('scoring deals');
  const dealScores = new Map<string, ScoreDetails>();
  if (wants('deal')) {
    const deals = openDeals(stats, now).filter((f) => inScope('deal', f.record.id));
    const predictions = await predictDeals(data, stats, models, deals, now, true);
    const previousDeals = await previousScores(db, tenantId, 'deal', now, scopeIds('deal'));
    const raise = await raiseDeals(data, stats, models, deals, predictions, now);
    for (const facts of deals) {
      const scored = predictions.get(facts.record.id);
      if (!scored) continue;
      dealScores.set(
        facts.record.id,
        dealDetails(
          data,
          facts,
          scored,
          models,
          previousDeals.get(facts.record.id),
          qualityOf(facts.record.key),
          now,
          raise.get(facts.record.id),
        ),
      );
    }
    await storeScores(db, tenantId, 'deal', dealScores, at, scope !== null);
  }

  // Every contact is predicted, whatever the scope: the portal context's quartiles are over all of them.
  phases.start('scoring contacts');
  let contactScores = new Map<string, ScoreDetails>();
  const explainIds = scope === null ? undefined : scope.objectType === 'contact' ? scope.ids : new Set<string>();
  const scoredContacts = await scoreContacts(data, stats, models, now, explainIds);
  const cuts = contactCutsOf(scoredContacts);
  if (wants('contact')) {
    const previous = await previousScores(db, tenantId, 'contact', now, scopeIds('contact'));
    const chosen = scoredContacts.filter((s) => inScope('contact', s.record.id));
    const raise = await raiseContacts(data, stats, models, chosen, now);
    contactScores = contactDetailsAll(data, models, chosen, cuts, previous, quality, now, raise);
    await storeScores(db, tenantId, 'contact', contactScores, at, scope !== null);
  }

  phases.start('scoring companies');
  let companyScores = new Map<string, ScoreDetails>();
  const states = accountStates(data, stats, data.companies, now);
  const norms = companyNormsOf(stats, states, now, data.settings.lonelyWindowDays);
  if (wants('company')) {
    const previous = await previousScores(db, tenantId, 'company', now, scopeIds('company'));
    companyScores = companyDetailsAll(
      states.filter((s) => inScope('company', s.company.id)),
      norms,
      previous,
      quality,
      now,
    );
    await storeScores(db, tenantId, 'company', companyScores, at, scope !== null);
  }
  await upsertPortalContext(db, tenantId, buildPortalContext(data, stats, models, cuts, norms, now));
  // Only after a tenant's first run: later ones change rows the planner already knows, autovacuum keeps
  // up with them, and ANALYZE after every tenant's nightly run would cost the whole database each time.
  if (firstRun) await refreshPlannerStatistics(db);
  phases.end();
  return scoringReport(tenantId, at, models, dealScores, contactScores, companyScores);
}
