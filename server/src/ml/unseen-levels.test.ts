import { describe, expect, it } from 'vitest';
import { applyCalibration } from './calibration.ts';
import { readOnnx } from './onnx-read.ts';
import { createRng } from './rng.ts';
import { loadScorer } from './scorer.ts';
import { trainModel } from './train.ts';
import { predictMargins } from './tree.ts';
import type { FeatureDef, FeatureValue } from './types.ts';

/**
 * A lead source with two common levels, hundreds of rare ones (3 rows each, converting at 45%, about the
 * overall rate) and missing values converting at 85%: a new source must be scored like the rare ones.
 */
function leads(n: number, seed: number) {
  const rng = createRng(seed);
  const rows: Record<string, FeatureValue>[] = [];
  const labels: number[] = [];
  let rareRows = 0;
  let rarePositives = 0;
  for (let i = 0; i < n; i++) {
    const u = rng();
    const [source, rate] =
      u < 0.35 ? ['web', 0.2] : u < 0.7 ? ['partner', 0.6] : u < 0.85 ? [`rare-${Math.floor(i / 3)}`, 0.45] : [null, 0.85];
    const y = rng() < (rate as number) ? 1 : 0;
    if (typeof source === 'string' && source.startsWith('rare')) {
      rareRows++;
      rarePositives += y;
    }
    rows.push({ source, size: rng() * 100 });
    labels.push(y);
  }
  return { rows, labels, rareRate: rarePositives / rareRows };
}

const features: FeatureDef[] = [
  { name: 'source', type: 'categorical' },
  { name: 'size', type: 'numeric' },
];

describe('unseen and rare categories', () => {
  it('an unseen level is scored like the rare levels it was pooled with, not like missing, in ORT and in TypeScript', async () => {
    const { rows, labels, rareRate } = leads(12_000, 5);
    const bundle = await trainModel({ features, rows, labels, seed: 3, candidates: ['gbdt'] });
    const source = bundle.featureSpec.features[0]!;
    expect(source.levels).toContain('');
    expect(bundle.card.otherLevels[0]).toMatchObject({ feature: 'source' });
    const scorer = await loadScorer(bundle);
    const rng = createRng(9);
    const fresh = Array.from({ length: 400 }, (_, i) => ({ source: `brand-new-${i % 7}`, size: rng() * 100 }));
    const unseen = new Map<string, number>();
    const x = scorer.encode(fresh, unseen);
    expect(unseen.get('source')).toBe(400);
    const p = await scorer.predictMatrix(x);
    const mean = p.reduce((a, b) => a + b, 0) / p.length;
    const missingMean = (await scorer.predict(fresh.map((r) => ({ ...r, source: null })))).reduce((a, b) => a + b, 0) / fresh.length;
    console.log(`unseen mean ${mean.toFixed(4)}, rare levels' training rate ${rareRate.toFixed(4)}, missing ${missingMean.toFixed(4)}`);
    expect(Math.abs(mean - rareRate)).toBeLessThanOrEqual(0.02);
    // The TypeScript trees (what explain() reads) route the unseen rows exactly as ONNX Runtime does.
    const margins = predictMargins(readOnnx(bundle.onnx).ensemble!, x);
    margins.forEach((m, i) => {
      expect(applyCalibration(bundle.featureSpec.calibration, m)).toBeCloseTo(p[i] as number, 5);
    });
    // Reasons: the unseen value's effect is the one the model learned for its rare levels, never a large one.
    const sourceEffect = async (records: Record<string, FeatureValue>[]) =>
      (await scorer.explain(records)).map((e) => e.contributions.find((c) => c.feature === 'source')!);
    const unseenReasons = await sourceEffect(fresh);
    for (const reason of unseenReasons) expect(reason.unseen).toBe(true);
    const rareReasons = await sourceEffect(rows.filter((r) => String(r.source).startsWith('rare')).slice(0, 400));
    const meanOf = (list: { contribution: number }[]) => list.reduce((a, c) => a + c.contribution, 0) / list.length;
    const largest = Math.max(...unseenReasons.map((c) => Math.abs(c.contribution)));
    console.log(
      `source contribution: unseen mean ${meanOf(unseenReasons).toFixed(3)} (largest |·| ${largest.toFixed(3)}), rare training levels mean ${meanOf(rareReasons).toFixed(3)} log-odds`,
    );
    expect(Math.abs(meanOf(unseenReasons) - meanOf(rareReasons))).toBeLessThan(0.1);
    expect(largest).toBeLessThan(0.5);
  });
});
