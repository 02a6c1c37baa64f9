/**
 * Evaluates the scoring core on the synthetic portal (planted probabilities): trains, scores and forecasts
 * at the portal's fixed "now", and prints each model's hold-out AUC next to the oracle AUC on the same
 * records, the ECE, and the forecast backtest.
 * Run: node server/src/scoring/test-support/evaluate-synthetic.ts [--contacts N] [seed ...]
 */
import { parseArgs } from 'node:util';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { type HoldoutSlice, holdoutSlices, portalTimes } from '../../demo/holdout-comparison.ts';
import { openStore } from '../../store/open-store.ts';
import { forecast } from '../forecast.ts';
import { scoreTenant } from '../score.ts';
import { trainTenantModels } from '../train.ts';
import { createTestTenant, loadPortalIntoStore } from './load-portal.ts';
import { type OracleLine, oracleReport } from './oracle-report.ts';

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
    /** All rows and first snapshots: model and oracle AUC and ECE, and the ECE noise floor (oracle-report.ts). */
    slices: OracleLine[];
    /** First snapshots against the oracle, later snapshots against a simple baseline (holdout-comparison.ts). */
    comparison: HoldoutSlice[];
  }[];
  seconds: { load: number; train: number; score: number; forecast: number };
}

export async function evaluateSynthetic(
  seed: number,
  log: (line: string) => void = () => undefined,
  /** contacts: portal size (default 2,000); forecast: false skips scoring and the forecast backtest. */
  options: { contacts?: number; forecast?: boolean } = {},
): Promise<SyntheticResult> {
  const portal = generateSyntheticPortal({ seed, ...(options.contacts ? { contacts: options.contacts } : {}) });
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
    const withForecast = options.forecast !== false;
    if (withForecast) await scoreTenant(store.db, tenantId, { now });
    const score = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const fc = withForecast ? await forecast(store.db, tenantId, { now, period: 'quarter' }) : { backtest: [] };
    const fcSeconds = (performance.now() - t0) / 1000;
    const times = { deal: portalTimes(portal, 'deal'), contact: portalTimes(portal, 'contact') };
    const models = report.models.map((m) => {
      const slices = oracleReport(portal, m);
      const isDeal = m.target.startsWith('deal');
      const planted = isDeal ? portal.truth?.dealWin : portal.truth?.contactConversion;
      const comparison = holdoutSlices(m.holdout, times[isDeal ? 'deal' : 'contact'], planted);
      // The whole hold-out; absent only when it holds a single class, where no AUC exists.
      const all = slices.find((line) => line.slice === 'all rows');
      const oracleAuc = all?.oracle ?? Number.NaN;
      const oracleEce = all?.oracleEce ?? Number.NaN;
      return {
        target: m.target,
        auc: m.holdout.auc,
        oracleAuc,
        ratio: m.holdout.auc / oracleAuc,
        ece: m.holdout.ece,
        oracleEce,
        holdout: m.holdout.recordIds.length,
        excluded: m.excludedFeatures.map((e) => e.feature),
        slices,
        comparison,
      };
    });
    for (const m of models) {
      log(
        `seed ${seed} ${m.target.padEnd(24)} AUC ${m.auc.toFixed(3)} oracle ${m.oracleAuc.toFixed(3)} ratio ${m.ratio.toFixed(3)} ECE ${m.ece.toFixed(3)} (oracle ${m.oracleEce.toFixed(3)}) n=${m.holdout} excluded=[${m.excluded.join(',')}]`,
      );
    }
    for (const m of models) {
      for (const c of m.comparison) {
        const against =
          c.slice === 'first snapshot'
            ? `oracle ${c.oracle?.toFixed(3)} ratio ${c.oracle ? (c.model / c.oracle).toFixed(3) : '-'}`
            : `baseline (${c.baseline?.name}) ${c.baseline?.auc.toFixed(3)}`;
        log(
          `seed ${seed} ${m.target.padEnd(24)} ${c.slice.padEnd(15)} n=${c.rows} (${c.records} records) AUC ${c.model.toFixed(3)} ${against}`,
        );
      }
    }
    log(`seed ${seed} by slice (ECE floor = planted probabilities' ECE on labels redrawn from them, mean/p90):`);
    for (const m of models) {
      for (const c of m.slices) {
        log(
          `  ${m.target.padEnd(24)} ${c.slice.padEnd(14)} n=${String(c.n).padStart(5)} (${String(c.records).padStart(5)} records) AUC model ${c.model.toFixed(3)} oracle ${c.oracle.toFixed(3)} ratio ${(c.model / c.oracle).toFixed(3)} | ECE model ${c.modelEce.toFixed(3)} oracle ${c.oracleEce.toFixed(3)} floor ${c.eceFloor.mean.toFixed(3)}/${c.eceFloor.p90.toFixed(3)}`,
        );
      }
    }
    if (withForecast)
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
  const { values, positionals } = parseArgs({ options: { contacts: { type: 'string' } }, allowPositionals: true });
  const contacts = values.contacts === undefined ? undefined : Number(values.contacts);
  const seeds = positionals.map(Number);
  for (const seed of seeds.length ? seeds : [1]) {
    await evaluateSynthetic(seed, (line) => console.log(line), contacts === undefined ? {} : { contacts });
  }
}
