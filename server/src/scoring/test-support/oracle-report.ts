import { rankAuc } from '@closewise/sandboxes/seed/auc';
import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { createRng } from '@closewise/sandboxes/seed/prng';
import { expectedCalibrationError } from '../engine.ts';
import type { TrainedModelReport } from '../train.ts';

/**
 * A model's hold-out next to the oracle on the same rows. The synthetic portal plants each outcome's
 * probability from what the CRM shows at the record's creation, so on first snapshots at creation the planted
 * probability is the best any model can do; later snapshots also see activities and stage moves that follow
 * the outcome, so a model may beat the oracle there.
 */
export interface OracleLine {
  slice: 'all rows' | 'first snapshot';
  n: number;
  records: number;
  model: number;
  oracle: number;
  modelEce: number;
  oracleEce: number;
  /** The ECE a perfectly calibrated predictor gets on these rows (labels redrawn from the planted truth). */
  eceFloor: { mean: number; p90: number };
}

export function oracleReport(portal: PortalData, model: TrainedModelReport): OracleLine[] {
  const h = model.holdout;
  const truth = model.target.startsWith('deal') ? portal.truth!.dealWin : portal.truth!.contactConversion;
  const lines: OracleLine[] = [];
  for (const slice of ['all rows', 'first snapshot'] as const) {
    const keep = h.recordIds.map((_, k) => slice === 'all rows' || h.primary[k] === true);
    const pick = <T>(xs: T[]): T[] => xs.filter((_, k) => keep[k]);
    const labels = pick(h.labels) as (0 | 1)[];
    if (!labels.includes(0) || !labels.includes(1)) continue;
    const ids = pick(h.recordIds);
    const planted = ids.map((id) => truth[id] ?? Number.NaN);
    lines.push({
      slice,
      n: labels.length,
      records: new Set(ids).size,
      model: rankAuc(pick(h.predictions), labels),
      oracle: rankAuc(planted, labels),
      modelEce: expectedCalibrationError(labels, pick(h.predictions)),
      oracleEce: expectedCalibrationError(labels, planted),
      eceFloor: eceNoiseFloor(ids, planted),
    });
  }
  return lines;
}

/** ECE of the planted probabilities against labels redrawn from them, one draw per record (seeded). */
export function eceNoiseFloor(ids: string[], planted: number[], draws = 200): { mean: number; p90: number } {
  const rng = createRng(12345, 'ece-noise-floor');
  const values: number[] = [];
  for (let r = 0; r < draws; r++) {
    const drawn = new Map<string, number>();
    const labels = ids.map((id, k) => {
      if (!drawn.has(id)) drawn.set(id, rng.bernoulli(planted[k] as number) ? 1 : 0);
      return drawn.get(id) as number;
    });
    values.push(expectedCalibrationError(labels, planted));
  }
  values.sort((a, b) => a - b);
  return { mean: values.reduce((a, b) => a + b, 0) / draws, p90: values[Math.floor(draws * 0.9)] as number };
}
