import type { Kysely } from 'kysely';
import { rocAuc } from '../ml/metrics.ts';
import { isHistoryUnknown } from '../scoring/history-coverage.ts';
import type { Database } from '../store/schema.ts';
import { selectDealScoreLines, selectProbabilities } from '../store/tables/scores.ts';
import type { DemoRun } from './run-demo.ts';
import type { DemoFacts, ModelLine } from './summary.ts';

/** Reads what the summary reports from the store and the run, in a stable order. */
export async function collectDemoFacts(db: Kysely<Database>, run: DemoRun, context: { seed: number; store: string }): Promise<DemoFacts> {
  const tenantId = run.tenant.id;
  const truth = run.portal.truth;
  const models: ModelLine[] = run.training.models.map((model) => {
    // A CRM whose contacts are labelled by another outcome than the planted one has no contact oracle.
    const comparable = model.target.startsWith('deal') || run.portal.contactOracleComparable;
    const planted = !comparable ? undefined : model.target.startsWith('deal') ? truth?.dealWin : truth?.contactConversion;
    const ids = model.holdout.recordIds;
    const known = planted ? ids.map((id, i) => [planted[id], model.holdout.labels[i]] as const).filter(([p]) => p !== undefined) : [];
    const oracleAuc =
      known.length === ids.length && known.length > 0
        ? rocAuc(
            known.map(([, y]) => y as number),
            known.map(([p]) => p as number),
          )
        : null;
    return {
      target: model.target,
      source: model.source,
      version: model.version,
      auc: model.holdout.auc,
      oracleAuc,
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
