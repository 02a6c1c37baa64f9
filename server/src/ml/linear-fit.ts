import { minimizeLbfgs } from './lbfgs.ts';
import type { LinearCategorical, LinearModel, LinearNumeric } from './linear-model.ts';
import { logLoss } from './metrics.ts';
import type { FeatureSpecEntry } from './types.ts';

/**
 * Fits the L2-regularised logistic regression of linear-model.ts on the fit slice by L-BFGS (the objective
 * is smooth and strictly convex, so the optimum is unique and the fit deterministic) and picks the L2
 * strength from a small grid by log loss on the validation slice, strongest first with warm starts.
 */

/** λ on the mean log loss; scikit-learn's default C = 1 is λ = 1/n (0.001 at 1,000 rows, 1e-5 at 100,000). */
export const L2_GRID = [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 3e-4, 1e-4, 3e-5, 1e-5];
const MAX_ITERATIONS = 300;
/**
 * Rows the logistic regression is fitted and validated on at most: a linear model's few hundred weights are
 * pinned down long before that, and it keeps the grid of fits to seconds at a million rows.
 */
export const MAX_LOGISTIC_ROWS = 100_000;
/**
 * Close enough for choosing λ and a model: past a gradient of 1e-5 (on the mean log loss) the validation loss
 * moves in the 5th decimal at most, and a stricter stop tripled the iterations at weak λ.
 */
const TOLERANCES = { gradientTolerance: 1e-5, relativeTolerance: 1e-10 };

/** Every k-th row, so the sample spreads evenly over the slice (deterministic, keeps the time spread). */
function evenSample(rows: Uint32Array, max: number): Uint32Array {
  if (rows.length <= max) return rows;
  return Uint32Array.from({ length: max }, (_, k) => rows[Math.floor((k * rows.length) / max)] as number);
}

/**
 * The design of selected rows: dense columns (standardised numbers, then their missing indicators) and,
 * per categorical, the one active column (a level's, or the feature's missing column).
 */
interface Design {
  n: number;
  dense: Float64Array;
  denseWidth: number;
  active: Int32Array;
  categoricals: number;
  /** Weights: dense columns, then every categorical's levels and missing column, then the intercept. */
  width: number;
}

interface Layout {
  numeric: Omit<LinearNumeric, 'coef' | 'missingCoef'>[];
  categorical: { feature: number; levels: number; offset: number; frequencies: number[]; missingRate: number }[];
  width: number;
}

function layoutOf(x: Float32Array, spec: FeatureSpecEntry[], rows: Uint32Array): Layout {
  const F = spec.length;
  const numeric: Layout['numeric'] = [];
  const categorical: Layout['categorical'] = [];
  spec.forEach((feature, f) => {
    if (feature.type === 'numeric') {
      let count = 0;
      let sum = 0;
      for (const r of rows) {
        const v = x[r * F + f] as number;
        if (Number.isNaN(v)) continue;
        count++;
        sum += v;
      }
      const mean = count > 0 ? sum / count : 0;
      let sq = 0;
      for (const r of rows) {
        const v = x[r * F + f] as number;
        if (!Number.isNaN(v)) sq += (v - mean) ** 2;
      }
      const sd = count > 1 ? Math.sqrt(sq / count) : 0;
      numeric.push({
        feature: f,
        mean: Math.fround(mean),
        invScale: Math.fround(sd > 0 && Number.isFinite(sd) ? 1 / sd : 1),
        missingRate: rows.length > 0 ? (rows.length - count) / rows.length : 0,
      });
    } else {
      const levels = feature.levels?.length ?? 0;
      const counts = new Float64Array(levels);
      let missing = 0;
      for (const r of rows) {
        const v = x[r * F + f] as number;
        if (Number.isNaN(v)) missing++;
        else if (v >= 0 && v < levels) counts[v] = (counts[v] as number) + 1;
      }
      const n = Math.max(rows.length, 1);
      categorical.push({ feature: f, levels, offset: 0, frequencies: Array.from(counts, (c) => c / n), missingRate: missing / n });
    }
  });
  let offset = 2 * numeric.length;
  for (const c of categorical) {
    c.offset = offset;
    offset += c.levels + 1; // levels, then the missing column
  }
  return { numeric, categorical, width: offset + 1 };
}

function designOf(x: Float32Array, F: number, layout: Layout, rows: Uint32Array): Design {
  const Fn = layout.numeric.length;
  const Fc = layout.categorical.length;
  const dense = new Float64Array(rows.length * 2 * Fn);
  const active = new Int32Array(rows.length * Fc);
  rows.forEach((r, i) => {
    layout.numeric.forEach((term, k) => {
      const v = x[r * F + term.feature] as number;
      const missing = Number.isNaN(v);
      dense[i * 2 * Fn + k] = missing ? 0 : (v - term.mean) * term.invScale;
      dense[i * 2 * Fn + Fn + k] = missing ? 1 : 0;
    });
    layout.categorical.forEach((term, k) => {
      const v = x[r * F + term.feature] as number;
      // A code outside the levels (never from our encoder) is the missing column rather than no column.
      active[i * Fc + k] = term.offset + (Number.isInteger(v) && v >= 0 && v < term.levels ? v : term.levels);
    });
  });
  return { n: rows.length, dense, denseWidth: 2 * Fn, active, categoricals: Fc, width: layout.width };
}

function marginsOf(design: Design, w: Float64Array, out: Float64Array): void {
  const { n, dense, denseWidth: Dd, active, categoricals: Fc, width } = design;
  const intercept = w[width - 1] as number;
  for (let i = 0; i < n; i++) {
    let m = intercept;
    for (let d = 0; d < Dd; d++) m += (dense[i * Dd + d] as number) * (w[d] as number);
    for (let c = 0; c < Fc; c++) m += w[active[i * Fc + c] as number] as number;
    out[i] = m;
  }
}

/** log(1 + e^m), without overflow. */
const softplus = (m: number) => (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));

function objectiveOf(design: Design, labels: Float64Array, l2: number) {
  const margins = new Float64Array(design.n);
  const { n, dense, denseWidth: Dd, active, categoricals: Fc, width } = design;
  return (w: Float64Array, grad: Float64Array): number => {
    marginsOf(design, w, margins);
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const m = margins[i] as number;
      const y = labels[i] as number;
      loss += softplus(m) - y * m;
      const r = 1 / (1 + Math.exp(-m)) - y;
      for (let d = 0; d < Dd; d++) grad[d] = (grad[d] as number) + r * (dense[i * Dd + d] as number);
      for (let c = 0; c < Fc; c++) {
        const j = active[i * Fc + c] as number;
        grad[j] = (grad[j] as number) + r;
      }
      grad[width - 1] = (grad[width - 1] as number) + r;
    }
    let penalty = 0;
    for (let j = 0; j < width; j++) {
      grad[j] = (grad[j] as number) / n;
      if (j === width - 1) continue; // the intercept is not penalised
      const wj = w[j] as number;
      penalty += wj * wj;
      grad[j] = (grad[j] as number) + l2 * wj;
    }
    return loss / n + 0.5 * l2 * penalty;
  };
}

function modelOf(layout: Layout, w: Float64Array, l2: number, F: number): LinearModel {
  const Fn = layout.numeric.length;
  const f32 = (v: number) => Math.fround(v);
  const numeric: LinearNumeric[] = layout.numeric.map((term, k) => ({
    ...term,
    coef: f32(w[k] as number),
    missingCoef: f32(w[Fn + k] as number),
  }));
  const categorical: LinearCategorical[] = layout.categorical.map((term) => ({
    feature: term.feature,
    coefs: Array.from(w.subarray(term.offset, term.offset + term.levels), f32),
    frequencies: term.frequencies,
    missingCoef: f32(w[term.offset + term.levels] as number),
    missingRate: term.missingRate,
  }));
  return { nFeatures: F, intercept: f32(w[layout.width - 1] as number), numeric, categorical, l2 };
}

export interface LogisticFit {
  model: LinearModel;
  /** Validation log loss per L2 strength tried, strongest first. */
  grid: { l2: number; logLoss: number }[];
  /** L-BFGS iterations per L2 strength tried. */
  iterations: number[];
}

export function fitLogistic(
  x: Float32Array,
  spec: FeatureSpecEntry[],
  labels: ArrayLike<number>,
  allFitRows: Uint32Array,
  allValidRows: Uint32Array,
): LogisticFit {
  const F = spec.length;
  const fitRows = evenSample(allFitRows, MAX_LOGISTIC_ROWS);
  const validRows = evenSample(allValidRows, MAX_LOGISTIC_ROWS);
  const layout = layoutOf(x, spec, fitRows);
  const fit = designOf(x, F, layout, fitRows);
  const valid = designOf(x, F, layout, validRows);
  const fitLabels = Float64Array.from(fitRows, (r) => labels[r] as number);
  const validLabels = Float64Array.from(validRows, (r) => labels[r] as number);
  const prevalence = Math.min(Math.max(fitLabels.reduce((a, b) => a + b, 0) / Math.max(fitLabels.length, 1), 1e-6), 1 - 1e-6);
  let w: Float64Array = new Float64Array(layout.width);
  w[layout.width - 1] = Math.log(prevalence / (1 - prevalence));
  const validMargins = new Float64Array(valid.n);
  const grid: LogisticFit['grid'] = [];
  let best: { loss: number; w: Float64Array; l2: number } = { loss: Number.POSITIVE_INFINITY, w, l2: L2_GRID[0] as number };
  let worse = 0;
  const iterations: number[] = [];
  for (const l2 of L2_GRID) {
    const result = minimizeLbfgs(objectiveOf(fit, fitLabels, l2), w, { maxIterations: MAX_ITERATIONS, ...TOLERANCES });
    w = result.w;
    iterations.push(result.iterations);
    marginsOf(valid, w, validMargins);
    const loss = logLoss(
      validLabels,
      Array.from(validMargins, (m) => 1 / (1 + Math.exp(-m))),
    );
    grid.push({ l2, logLoss: loss });
    if (loss < best.loss - 1e-9) {
      best = { loss, w, l2 };
      worse = 0;
    } else if (++worse >= 2) {
      break; // the validation loss is U-shaped in λ: two steps past the minimum, weaker λ only over-fits more
    }
  }
  const model = modelOf(layout, best.w, best.l2, F);
  return { model, grid, iterations };
}
