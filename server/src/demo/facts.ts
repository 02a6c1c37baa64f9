import type { Kysely } from 'kysely';
import { isHistoryUnknown } from '../scoring/history-coverage.ts';
import { WAITING_FOR_PROPOSAL_STAGE } from '../scoring/train.ts';
import type { Database } from '../store/schema.ts';
import { selectDealScoreLines, selectProbabilities } from '../store/tables/scores.ts';
import { holdoutSlices, portalTimes } from './holdout-comparison.ts';
import type { DemoRun } from './run-demo.ts';
import type { DemoFacts, ModelLine } from './summary.ts';

/** Reads what the summary reports from the store and the run, in a stable order. */
export async function collectDemoFacts(db: Kysely<Database>, run: DemoRun, context: { seed: number; store: string }): Promise<DemoFacts> {
  const tenantId = run.tenant.id;
  const truth = run.portal.truth;
  const times = {
    deal: portalTimes(run.portal.data, 'deal', (id) => run.portal.crmId('deals', id)),
    contact: portalTimes(run.portal.data, 'contact', (id) => run.portal.crmId('contacts', id)),
  };
  const models: ModelLine[] = run.training.models.map((model) => {
    // A CRM whose contacts are labelled by another outcome than the planted one has no contact oracle.
    const isDeal = model.target.startsWith('deal');
    const comparable = isDeal || run.portal.contactOracleComparable;
    const planted = !comparable ? undefined : isDeal ? truth?.dealWin : truth?.contactConversion;
    const ids = model.holdout.recordIds;
    const slices = holdoutSlices(model.holdout, times[isDeal ? 'deal' : 'contact'], planted);
    return {
      target: model.target,
      source: model.source,
      version: model.version,
      auc: model.holdout.auc,
      signal: model.signal ?? null,
      waiting: model.note.includes(WAITING_FOR_PROPOSAL_STAGE) ? WAITING_FOR_PROPOSAL_STAGE : null,
      firstSnapshot: slices.find((c) => c.slice === 'first snapshot') ?? null,
      laterSnapshots: slices.find((c) => c.slice === 'later snapshots') ?? null,
      ece: model.holdout.ece,
      holdoutSize: ids.length,
      excluded: model.excludedFeatures.filter((f) => !isHistoryUnknown(f.reason)).map((f) => f.feature),
      historyUnknown: model.excludedFeatures.filter((f) => isHistoryUnknown(f.reason)).map((f) => f.feature),
    };
  });

  const dealScores = await selectDealScoreLines(db, tenantId);
  const contactLikelihoods = await selectProbabilities(db, tenantId, 'contact');

  return {
    portalName: run.portal.data.name,
    labels: run.portal.labels,
    seed: context.seed,
    store: context.store,
    now: run.now,
    installed: run.installed,
    synced: run.sync.counts,
    models,
    written: {
      deals: run.writeBack.deals,
      contacts: run.writeBack.contacts,
      companies: run.writeBack.companies,
      failed: run.writeBack.failed,
    },
    openDealProbabilities: dealScores.map((s) => s.probability),
    contactLikelihoods,
    topDeals: dealScores.slice(0, 10).map((s) => ({
      name: s.properties.name ?? `Deal ${s.externalId}`,
      amount: s.properties.amount ? Number(s.properties.amount) : null,
      stage: s.stageLabel ?? s.properties.stage ?? '—',
      probability: s.probability,
    })),
  };
}
