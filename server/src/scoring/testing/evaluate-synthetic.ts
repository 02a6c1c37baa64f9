/**
 * Evaluates the scoring core on the synthetic portal (planted probabilities): trains, scores and forecasts
 * at the portal's fixed "now", and prints each model's hold-out AUC next to the oracle AUC on the same
 * records, the ECE, and the forecast backtest. Run: node server/src/scoring/testing/evaluate-synthetic.ts [seed ...]
 */
import { rankAuc } from '../../../../test/sandboxes/seed/auc.ts';
import { generateSyntheticPortal } from '../../../../test/sandboxes/seed/synthetic-portal.ts';
import { openStore } from '../../store/open-store.ts';
import { expectedCalibrationError } from '../engine.ts';
import { forecast } from '../forecast.ts';
import { scoreTenant } from '../score.ts';
import { trainTenantModels } from '../train.ts';
import { type CeilingLine, Ceilings, ceilingReport } from './ceilings.ts';
import { createTestTenant, loadPortalIntoStore } from './load-portal.ts';

export interface SyntheticResult {
  seed: number;
  models: {
    target: string;
    auc: number;
    oracleAuc: number;
    ratio: number;
    ece: number;
    oracleEce: number;
    holdout: number;
    excluded: string[];
    /** The same hold-out rows scored by ceilings that know more or less of the latent engagement (ceilings.ts). */
    ceilings: CeilingLine[];
  }[];
  seconds: { load: number; train: number; score: number; forecast: number };
}

export async function evaluateSynthetic(seed: number, log: (line: string) => void = () => undefined): Promise<SyntheticResult> {
  const portal = generateSyntheticPortal({ seed });
  const store = await openStore({ dataDir: 'memory://' });
  try {
    const tenantId = `synthetic-${seed}`;
    const now = new Date(portal.now);
    let t0 = performance.now();
    await createTestTenant(store.db, tenantId);
    await loadPortalIntoStore(store.db, tenantId, portal);
    const load = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const report = await trainTenantModels(store.db, tenantId, { now, seed });
    const train = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await scoreTenant(store.db, tenantId, { now });
    const score = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const fc = await forecast(store.db, tenantId, { now, period: 'quarter' });
    const fcSeconds = (performance.now() - t0) / 1000;
    const ceilings = new Ceilings(portal, seed);
    const models = report.models.map((m) => {
      const truth = m.target.startsWith('deal') ? portal.truth!.dealWin : portal.truth!.contactConversion;
      const planted = m.holdout.recordIds.map((id) => truth[id] ?? Number.NaN);
      const oracleAuc = rankAuc(planted, m.holdout.labels as (0 | 1)[]);
      // The planted probabilities' own ECE on the same rows: the sampling-noise floor for any model's ECE.
      const oracleEce = expectedCalibrationError(m.holdout.labels, planted);
      return {
        target: m.target,
        auc: m.holdout.auc,
        oracleAuc,
        ratio: m.holdout.auc / oracleAuc,
        ece: m.holdout.ece,
        oracleEce,
        holdout: m.holdout.recordIds.length,
        excluded: m.excludedFeatures.map((e) => e.feature),
        ceilings: ceilingReport(ceilings, m),
      };
    });
    for (const m of models) {
      log(
        `seed ${seed} ${m.target.padEnd(24)} AUC ${m.auc.toFixed(3)} oracle ${m.oracleAuc.toFixed(3)} ratio ${m.ratio.toFixed(3)} ECE ${m.ece.toFixed(3)} (oracle ${m.oracleEce.toFixed(3)}) n=${m.holdout} excluded=[${m.excluded.join(',')}]`,
      );
    }
    log(`seed ${seed} ceilings (AUC on the same rows; ECE floor = planted probabilities' ECE on labels redrawn from them, mean/p90):`);
    for (const m of models) {
      for (const c of m.ceilings) {
        const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '  -  ');
        log(
          `  ${m.target.padEnd(24)} ${c.slice.padEnd(14)} n=${String(c.n).padStart(4)} (${String(c.records).padStart(3)} records) model ${f(c.model)} | no-latent ${f(c.noLatent)} posterior ${f(c.posterior)} contact-latent ${f(c.contactLatent)} oracle ${f(c.oracle)} | model/oracle ${f(c.model / c.oracle)} model/posterior ${f(c.model / c.posterior)} | ECE model ${f(c.modelEce)} oracle ${f(c.oracleEce)} floor ${f(c.eceFloor.mean)}/${f(c.eceFloor.p90)}`,
        );
      }
    }
    log(
      `seed ${seed} forecast backtest (quarter, pipeline, deals, stage-weighted, model-weighted, actual won of those, all won, closer, in-sample):`,
    );
    for (const b of fc.backtest) {
      log(
        `  ${b.periodStart.slice(0, 10)} ${b.pipelineId} ${b.deals} stage ${b.stageWeighted.toFixed(0)} model ${b.modelWeighted.toFixed(0)} actual ${b.actualWon.toFixed(0)} all ${b.actualWonAll.toFixed(0)} slipped-then-won ${b.wonLater.toFixed(0)} ${b.closer}${b.inSample ? ' (in-sample)' : ''}`,
      );
    }
    log(
      `seed ${seed} seconds: load ${load.toFixed(1)} train ${train.toFixed(1)} score ${score.toFixed(1)} forecast ${fcSeconds.toFixed(1)}`,
    );
    return { seed, models, seconds: { load, train, score, forecast: fcSeconds } };
  } finally {
    await store.close();
  }
}

if (import.meta.main) {
  const seeds = process.argv.slice(2).map(Number);
  for (const seed of seeds.length ? seeds : [1]) await evaluateSynthetic(seed, (line) => console.log(line));
}
