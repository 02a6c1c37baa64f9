import { generateSyntheticPortal } from '../../../../test/sandboxes/seed/synthetic-portal.ts';
import { rankAuc } from '../../../../test/sandboxes/seed/auc.ts';
import { openStore } from '../../store/open-store.ts';
import { createTestTenant, loadPortalIntoStore } from './load-portal.ts';
import { loadTenantData } from '../tenant-data.ts';
import { buildPortalStats } from '../portal-stats.ts';
import { dealSnapshots, contactSnapshots, timeSplit, type Snapshot } from '../snapshots.ts';
import { buildRows, featuresFor } from '../datasets.ts';
import { trainModel, loadScorer, rocAuc, expectedCalibrationError } from '../engine.ts';
const seed = Number(process.argv[2] ?? 1);
const portal = generateSyntheticPortal({ seed });
const store = await openStore({ dataDir: 'memory://' });
await createTestTenant(store.db, 't');
await loadPortalIntoStore(store.db, 't', portal);
const data = await loadTenantData(store.db, 't');
const stats = buildPortalStats(data);
const now = Date.parse(portal.now);
const paramSets: Record<string, object> = {
  default: {},
  small: { maxLeaves: 8, minSamplesLeaf: 30, learningRate: 0.05, l2: 5 },
  tiny: { maxLeaves: 4, minSamplesLeaf: 40, learningRate: 0.05, l2: 10, maxIterations: 300 },
};
for (const target of ['deal_win_at_creation', 'deal_win_after_proposal', 'contact_close_90d'] as const) {
  const snaps = target.startsWith('deal') ? dealSnapshots(stats, target as never) : contactSnapshots(data, now, 'contact_close_90d');
  const truth = target.startsWith('deal') ? portal.truth!.dealWin : portal.truth!.contactConversion;
  for (const mode of ['all', 'primary']) {
    const use = mode === 'all' ? snaps : snaps.filter((s) => s.primary);
    const split = timeSplit(use);
    const holdAll = use.filter((s) => s.order >= split.cutoff);
    const infos = featuresFor(target, data);
    const trainRows = buildRows(target, data, stats, split.train);
    for (const [pname, params] of Object.entries(paramSets)) {
      const t0 = performance.now();
      const bundle = await trainModel({ features: infos.map((i) => ({ name: i.name, type: i.kind })), rows: trainRows, labels: split.train.map((s) => s.label), time: split.train.map((s) => s.t), seed: 1, params });
      const scorer = await loadScorer(bundle);
      const ev = async (h: Snapshot[]) => {
        const p = Array.from(await scorer.predict(buildRows(target, data, stats, h)));
        const y = h.map((s) => s.label);
        const oracle = rankAuc(h.map((s) => truth[s.recordId]!), y as (0|1)[]);
        const mp = p.reduce((a,b)=>a+b,0)/p.length; const my = y.reduce((a,b)=>a+b,0)/y.length; return `mean ${mp.toFixed(2)}/${my.toFixed(2)} auc ${rocAuc(y, p).toFixed(3)} oracle ${oracle.toFixed(3)} ece ${expectedCalibrationError(y, p).toFixed(3)} n=${h.length}`;
      };
      console.log(target, mode, pname, 'primary:', await ev(split.holdout), '| all:', await ev(holdAll), `${((performance.now() - t0) / 1000).toFixed(1)}s iters=${bundle.card.iterations}`);
    }
  }
}
await store.close();
