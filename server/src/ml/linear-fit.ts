import { type CurvaturePairs, minimizeLbfgs } from './lbfgs.ts';
import type { LinearCategorical, LinearModel, LinearNumeric } from './linear-model.ts';
import { logLoss } from './metrics.ts';
import type { FeatureSpecEntry } from './types.ts';

/**
 * Fits the L2-regularised logistic regression of linear-model.ts on the fit slice by L-BFGS (the objective
 * is smooth and strictly convex, so the optimum is unique and the fit deterministic) and picks the L2
 * strength by log loss on the validation slice: decades strongest first, each warm-started from the last
 * (weights and L-BFGS pairs), stopping when the loss rises, then the half-decade points either side of the
 * best. Every fit is preconditioned by the Hessian at the start (all p = the prevalence) plus its λ, so
 * L-BFGS starts out as a Newton method: a few iterations per λ.
 */

/**
 * λ on the mean log loss; scikit-learn's default C = 1 is λ = 1/n (0.001 at 1,000 rows, 1e-5 at 100,000).
 * The search walks these decades, then tries the half-decade points (×0.3, ×3) either side of the best: the
 * grid 1, 0.3, 0.1, …, 3e-5, 1e-5 where it matters, at about half the fits.
 */
export const L2_DECADES = [1, 0.1, 0.01, 1e-3, 1e-4, 1e-5];
const L2_MAX = 1;
const L2_MIN = 1e-5;
const MAX_ITERATIONS = 300;
/**
 * Rows the logistic regression is fitted and validated on at most: a linear model's few hundred weights are
 * pinned down long before that, and it keeps the grid of fits to seconds at a million rows.
 */
export const MAX_LOGISTIC_ROWS = 100_000;
/**
 * Close enough for choosing λ and a model: at a largest gradient component of 1e-4 (on the mean log loss)
 * the validation log loss of every λ on bank-full's validation slices is within 4e-5 of its value at 1e-5,
 * at half the iterations.
 */
const SEARCH_GRADIENT_TOLERANCE = 1e-4;
const RELATIVE_TOLERANCE = 1e-10;
/**
 * Weights up to which L-BFGS is preconditioned by the whole start Hessian (a width² matrix, factorised in
 * width³/3 steps per λ: ~9M at 300); wider designs (many levels) use its diagonal.
 */
const MAX_FACTORED_WIDTH = 300;
/** Rows (evenly spread) the start Hessian is estimated from, at least. */
const HESSIAN_ROWS = 8192;

/** Every k-th row, so the sample spreads evenly over the slice (deterministic, keeps the time spread). */
function evenSample(rows: Uint32Array, max: number): Uint32Array {
  if (rows.length <= max) return rows;
  return Uint32Array.from({ length: max }, (_, k) => rows[Math.floor((k * rows.length) / max)] as number);
}

/**
 * The design of selected rows: dense columns (standardised numbers, then their missing indicators; columns
 * that are 0 on every fit row are left out, their weights stay 0) and, per categorical, the one active
 * column (a level's, or the feature's missing column).
 */
interface Design {
  n: number;
  dense: Float64Array;
  denseWidth: number;
  /** Weight index of each dense column. */
  denseIndex: Int32Array;
  active: Int32Array;
  categoricals: number;
  /** Weights: dense columns, then every categorical's levels and missing column, then the intercept. */
  width: number;
}

interface Layout {
  numeric: Omit<LinearNumeric, 'coef' | 'missingCoef'>[];
  categorical: { feature: number; levels: number; offset: number; frequencies: number[]; missingRate: number }[];
  width: number;
  /** Weight indices of the dense columns that are not 0 on every fit row. */
  denseIndex: Int32Array;
}

function layoutOf(x: Float32Array, spec: FeatureSpecEntry[], rows: Uint32Array): Layout {
  const F = spec.length;
  const numeric: Layout['numeric'] = [];
  const categorical: Layout['categorical'] = [];
  const spread: boolean[] = [];
  // Row by row (x is row-major): present count, sum and then squared deviations per number; level counts.
  const count = new Float64Array(F);
  const sum = new Float64Array(F);
  const sq = new Float64Array(F);
  const isNumeric = Uint8Array.from(spec, (feature) => (feature.type === 'numeric' ? 1 : 0));
  const levelCounts = spec.map((feature) => new Float64Array(feature.type === 'numeric' ? 0 : (feature.levels?.length ?? 0)));
  for (let i = 0; i < rows.length; i++) {
    const base = (rows[i] as number) * F;
    for (let f = 0; f < F; f++) {
      const v = x[base + f] as number;
      if (Number.isNaN(v)) continue;
      count[f] = (count[f] as number) + 1;
      if (isNumeric[f]) sum[f] = (sum[f] as number) + v;
      else {
        const counts = levelCounts[f] as Float64Array;
        if (v >= 0 && v < counts.length) counts[v] = (counts[v] as number) + 1;
      }
    }
  }
  const means = Float64Array.from(count, (c, f) => (c > 0 ? (sum[f] as number) / c : 0));
  for (let i = 0; i < rows.length; i++) {
    const base = (rows[i] as number) * F;
    for (let f = 0; f < F; f++) {
      if (!isNumeric[f]) continue;
      const v = x[base + f] as number;
      if (!Number.isNaN(v)) sq[f] = (sq[f] as number) + (v - (means[f] as number)) ** 2;
    }
  }
  spec.forEach((feature, f) => {
    const present = count[f] as number;
    if (feature.type === 'numeric') {
      const sd = present > 1 ? Math.sqrt((sq[f] as number) / present) : 0;
      spread.push(sd > 0 && Number.isFinite(sd));
      numeric.push({
        feature: f,
        mean: Math.fround(means[f] as number),
        invScale: Math.fround(sd > 0 && Number.isFinite(sd) ? 1 / sd : 1),
        missingRate: rows.length > 0 ? (rows.length - present) / rows.length : 0,
      });
    } else {
      const counts = levelCounts[f] as Float64Array;
      const n = Math.max(rows.length, 1);
      categorical.push({
        feature: f,
        levels: counts.length,
        offset: 0,
        frequencies: Array.from(counts, (c) => c / n),
        missingRate: (rows.length - present) / n,
      });
    }
  });
  let offset = 2 * numeric.length;
  for (const c of categorical) {
    c.offset = offset;
    offset += c.levels + 1; // levels, then the missing column
  }
  const Fn = numeric.length;
  const denseIndex: number[] = [];
  // Columns that are 0 on every fit row get no gradient but the penalty's, so their weights stay 0: a number
  // without spread (standardised to 0 where present) and the missing indicator of a number never missing.
  for (let k = 0; k < Fn; k++) if (spread[k]) denseIndex.push(k);
  for (let k = 0; k < Fn; k++) if ((numeric[k] as Layout['numeric'][number]).missingRate > 0) denseIndex.push(Fn + k);
  return { numeric, categorical, width: offset + 1, denseIndex: Int32Array.from(denseIndex) };
}

function designOf(x: Float32Array, F: number, layout: Layout, rows: Uint32Array): Design {
  const Fn = layout.numeric.length;
  const Fc = layout.categorical.length;
  const { denseIndex } = layout;
  const Dd = denseIndex.length;
  const dense = new Float64Array(rows.length * Dd);
  const active = new Int32Array(rows.length * Fc);
  // Per dense column: the feature it reads, whether it is the missing indicator, and the standardisation.
  const column = Int32Array.from(denseIndex, (j) => (layout.numeric[j < Fn ? j : j - Fn] as Layout['numeric'][number]).feature);
  const indicator = Uint8Array.from(denseIndex, (j) => (j < Fn ? 0 : 1));
  const mean = Float64Array.from(denseIndex, (j) => (j < Fn ? (layout.numeric[j] as Layout['numeric'][number]).mean : 0));
  const invScale = Float64Array.from(denseIndex, (j) => (j < Fn ? (layout.numeric[j] as Layout['numeric'][number]).invScale : 0));
  const catFeature = Int32Array.from(layout.categorical, (term) => term.feature);
  const catOffset = Int32Array.from(layout.categorical, (term) => term.offset);
  const catLevels = Int32Array.from(layout.categorical, (term) => term.levels);
  for (let i = 0; i < rows.length; i++) {
    const base = (rows[i] as number) * F;
    for (let d = 0; d < Dd; d++) {
      const v = x[base + (column[d] as number)] as number;
      const missing = Number.isNaN(v);
      dense[i * Dd + d] = indicator[d] ? (missing ? 1 : 0) : missing ? 0 : (v - (mean[d] as number)) * (invScale[d] as number);
    }
    for (let k = 0; k < Fc; k++) {
      const v = x[base + (catFeature[k] as number)] as number;
      const levels = catLevels[k] as number;
      // A code outside the levels (never from our encoder) is the missing column rather than no column.
      active[i * Fc + k] = (catOffset[k] as number) + (Number.isInteger(v) && v >= 0 && v < levels ? v : levels);
    }
  }
  return { n: rows.length, dense, denseWidth: Dd, denseIndex, active, categoricals: Fc, width: layout.width };
}

function marginsOf(design: Design, w: Float64Array, out: Float64Array): void {
  const { n, dense, denseWidth: Dd, denseIndex, active, categoricals: Fc, width } = design;
  const intercept = w[width - 1] as number;
  for (let i = 0; i < n; i++) {
    let m = intercept;
    for (let d = 0; d < Dd; d++) m += (dense[i * Dd + d] as number) * (w[denseIndex[d] as number] as number);
    for (let c = 0; c < Fc; c++) m += w[active[i * Fc + c] as number] as number;
    out[i] = m;
  }
}

/** Rows whose factors 1 + e^−|m| ∈ (1, 2] are multiplied before one logarithm: 2^512 is far from overflow. */
const LOG_BLOCK = 512;

/**
 * The mean log loss plus (l2 / 2)·|w|² (intercept not penalised) and its gradient, in one pass over the rows
 * with one exponential per row. softplus(m) = max(m, 0) + log(1 + e^−|m|), and the logarithms of a block of
 * rows are taken as one logarithm of their product (relative rounding error ~1e-13 of the loss; log1p per row
 * was half the time of a pass).
 */
function objectiveOf(design: Design, labels: Float64Array, l2: number) {
  const { n, dense, denseWidth: Dd, denseIndex, active, categoricals: Fc, width } = design;
  const wDense = new Float64Array(Dd);
  const gDense = new Float64Array(Dd);
  return (w: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    gDense.fill(0);
    for (let d = 0; d < Dd; d++) wDense[d] = w[denseIndex[d] as number] as number;
    const intercept = w[width - 1] as number;
    let loss = 0;
    let logs = 0;
    let product = 1;
    let rSum = 0;
    for (let i = 0; i < n; i++) {
      if ((i & (LOG_BLOCK - 1)) === 0) {
        logs += Math.log(product);
        product = 1;
      }
      const di = i * Dd;
      const ai = i * Fc;
      let m = intercept;
      for (let d = 0; d < Dd; d++) m += (dense[di + d] as number) * (wDense[d] as number);
      for (let c = 0; c < Fc; c++) m += w[active[ai + c] as number] as number;
      const y = labels[i] as number;
      const e = Math.exp(-Math.abs(m));
      // softplus(m) − y·m, and σ(m) from the same exponential
      loss += Math.max(m, 0) - y * m;
      product *= 1 + e;
      const r = (m >= 0 ? 1 / (1 + e) : e / (1 + e)) - y;
      rSum += r;
      for (let d = 0; d < Dd; d++) gDense[d] = (gDense[d] as number) + r * (dense[di + d] as number);
      for (let c = 0; c < Fc; c++) {
        const j = active[ai + c] as number;
        grad[j] = (grad[j] as number) + r;
      }
    }
    loss += logs + Math.log(product);
    for (let d = 0; d < Dd; d++) grad[denseIndex[d] as number] = gDense[d] as number;
    grad[width - 1] = rSum;
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

/**
 * The loss Hessian at the start, where every p is the prevalence π: π(1 − π)·XᵀX/n over the design's
 * nonzeros (dense columns, the active level per categorical, the intercept). Row-major, width².
 */
function startHessian(design: Design, prevalence: number): Float64Array {
  const { n, dense, denseWidth: Dd, denseIndex, active, categoricals: Fc, width } = design;
  const h = new Float64Array(width * width);
  const k = Dd + Fc + 1;
  const index = new Int32Array(k);
  const value = new Float64Array(k);
  // Every stride-th row: a preconditioner need only be close (it changes the path, not the optimum).
  const stride = Math.max(1, Math.floor(n / HESSIAN_ROWS));
  let used = 0;
  for (let i = 0; i < n; i += stride) {
    used++;
    for (let d = 0; d < Dd; d++) {
      index[d] = denseIndex[d] as number;
      value[d] = dense[i * Dd + d] as number;
    }
    for (let c = 0; c < Fc; c++) {
      index[Dd + c] = active[i * Fc + c] as number;
      value[Dd + c] = 1;
    }
    index[k - 1] = width - 1;
    value[k - 1] = 1;
    // One triangle: the nonzeros' indices are distinct (dense columns, then one column per categorical,
    // then the intercept), so each unordered pair lands once, mirrored below.
    for (let a = 0; a < k; a++) {
      const ia = index[a] as number;
      const va = value[a] as number;
      for (let b = a; b < k; b++) {
        const ib = index[b] as number;
        const j = ia <= ib ? ia * width + ib : ib * width + ia;
        h[j] = (h[j] as number) + va * (value[b] as number);
      }
    }
  }
  const scale = (prevalence * (1 - prevalence)) / Math.max(used, 1);
  for (let i = 0; i < width; i++) {
    for (let j = i; j < width; j++) {
      const v = (h[i * width + j] as number) * scale;
      h[i * width + j] = v;
      h[j * width + i] = v;
    }
  }
  return h;
}

/** The diagonal of startHessian, without the matrix (for designs too wide to factorise). */
function startHessianDiagonal(design: Design, prevalence: number): Float64Array {
  const { n, dense, denseWidth: Dd, denseIndex, active, categoricals: Fc, width } = design;
  const h = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < Dd; d++) {
      const j = denseIndex[d] as number;
      h[j] = (h[j] as number) + (dense[i * Dd + d] as number) ** 2;
    }
    for (let c = 0; c < Fc; c++) {
      const j = active[i * Fc + c] as number;
      h[j] = (h[j] as number) + 1;
    }
  }
  h[width - 1] = n;
  const scale = (prevalence * (1 - prevalence)) / Math.max(n, 1);
  for (let j = 0; j < width; j++) h[j] = (h[j] as number) * scale;
  return h;
}

/** 1 / (the diagonal + l2 off the intercept). */
function inverseDiagonal(diagonal: Float64Array, l2: number): Float64Array {
  const last = diagonal.length - 1;
  return Float64Array.from(diagonal, (h, j) => {
    const hj = h + (j === last ? 0 : l2);
    return hj > 1e-12 ? 1 / hj : 1;
  });
}

/**
 * (H + l2·I)⁻¹ as a map, I without the intercept, by a Cholesky factorisation. It is positive definite: H
 * is semidefinite, l2 > 0 curves every weight but the intercept, and the intercept's own entry is
 * π(1 − π) > 0. A pivot floor of 1e-12 guards against rounding (the map is only a preconditioner: any
 * positive definite one leads to the same optimum).
 */
function choleskySolver(h: Float64Array, width: number, l2: number): (v: Float64Array) => Float64Array {
  const L = Float64Array.from(h);
  for (let j = 0; j < width - 1; j++) L[j * width + j] = (L[j * width + j] as number) + l2;
  for (let j = 0; j < width; j++) {
    let diag = L[j * width + j] as number;
    for (let k = 0; k < j; k++) diag -= (L[j * width + k] as number) ** 2;
    const ljj = Math.sqrt(Math.max(diag, 1e-12));
    L[j * width + j] = ljj;
    for (let i = j + 1; i < width; i++) {
      let v = L[i * width + j] as number;
      for (let k = 0; k < j; k++) v -= (L[i * width + k] as number) * (L[j * width + k] as number);
      L[i * width + j] = v / ljj;
    }
  }
  return (v: Float64Array) => {
    const z = Float64Array.from(v);
    for (let i = 0; i < width; i++) {
      let t = z[i] as number;
      for (let k = 0; k < i; k++) t -= (L[i * width + k] as number) * (z[k] as number);
      z[i] = t / (L[i * width + i] as number);
    }
    for (let i = width - 1; i >= 0; i--) {
      let t = z[i] as number;
      for (let k = i + 1; k < width; k++) t -= (L[k * width + i] as number) * (z[k] as number);
      z[i] = t / (L[i * width + i] as number);
    }
    return z;
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

/**
 * L-BFGS pairs of the objective at one λ, valid for λ + Δλ: the penalty's gradient is linear in w, so every
 * gradient change y gains exactly Δλ·s (the intercept is not penalised). s·y stays ≥ λ_new·|s|² > 0.
 */
function pairsFor(pairs: CurvaturePairs, deltaL2: number, intercept: number): CurvaturePairs {
  const y = pairs.y.map((yk, k) => {
    const sk = pairs.s[k] as Float64Array;
    const out = Float64Array.from(yk);
    for (let j = 0; j < out.length; j++) if (j !== intercept) out[j] = (out[j] as number) + deltaL2 * (sk[j] as number);
    return out;
  });
  return { s: pairs.s, y };
}

/** One λ of the search: its weights, validation log loss and final L-BFGS pairs. */
interface Tried {
  l2: number;
  w: Float64Array;
  loss: number;
  pairs: CurvaturePairs;
  /** The objective and its gradient at w, at this λ. */
  value: number;
  gradient: Float64Array;
}

/** The objective and gradient of a fit's weights at λ + Δλ, without a pass over the rows (the penalty is ½λ|w|²). */
function valueFor(tried: Tried, deltaL2: number, intercept: number): { value: number; gradient: Float64Array } {
  let squares = 0;
  const gradient = Float64Array.from(tried.gradient);
  for (let j = 0; j < gradient.length; j++) {
    if (j === intercept) continue;
    const wj = tried.w[j] as number;
    squares += wj * wj;
    gradient[j] = (gradient[j] as number) + deltaL2 * wj;
  }
  return { value: tried.value + 0.5 * deltaL2 * squares, gradient };
}

export interface LogisticFit {
  model: LinearModel;
  /** Validation log loss per L2 strength, in the order tried (the decades strongest first, then the refinement). */
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
  const start = new Float64Array(layout.width);
  start[layout.width - 1] = Math.log(prevalence / (1 - prevalence));
  const validMargins = new Float64Array(valid.n);
  const grid: LogisticFit['grid'] = [];
  const iterations: number[] = [];
  // The loss Hessian at the start (every p = the prevalence), plus λ, preconditions every λ's fit: the whole
  // matrix by its Cholesky factor up to MAX_FACTORED_WIDTH weights, its diagonal beyond.
  const factored = layout.width <= MAX_FACTORED_WIDTH;
  const hessian = factored ? startHessian(fit, prevalence) : startHessianDiagonal(fit, prevalence);
  const preconditionerAt = (l2: number) => (factored ? choleskySolver(hessian, layout.width, l2) : inverseDiagonal(hessian, l2));
  /** Fits λ from the weights (and L-BFGS pairs) of a fit at another λ; scores it on the validation slice. */
  const fitAt = (l2: number, from: Tried | null): Tried => {
    const result = minimizeLbfgs(objectiveOf(fit, fitLabels, l2), from?.w ?? start, {
      maxIterations: MAX_ITERATIONS,
      gradientTolerance: SEARCH_GRADIENT_TOLERANCE,
      relativeTolerance: RELATIVE_TOLERANCE,
      preconditioner: preconditionerAt(l2),
      ...(from
        ? { pairs: pairsFor(from.pairs, l2 - from.l2, layout.width - 1), startValue: valueFor(from, l2 - from.l2, layout.width - 1) }
        : {}),
    });
    iterations.push(result.iterations);
    marginsOf(valid, result.w, validMargins);
    const loss = logLoss(
      validLabels,
      Array.from(validMargins, (m) => 1 / (1 + Math.exp(-m))),
    );
    grid.push({ l2, logLoss: loss });
    return { l2, w: result.w, loss, pairs: result.pairs, value: result.value, gradient: result.gradient };
  };
  // Decades, strongest first, each warm-started from the last, until the validation loss rises ...
  let best: Tried | null = null;
  let last: Tried | null = null;
  for (const l2 of L2_DECADES) {
    last = fitAt(l2, last);
    if (!best || last.loss < best.loss - 1e-9) best = last;
    else break; // the validation loss is U-shaped in λ: a decade past the minimum, weaker λ only over-fits more
  }
  // ... then the half-decade points either side of the best decade, from its weights.
  const decade = best as Tried;
  for (const l2 of [decade.l2 * 0.3, decade.l2 * 3]) {
    if (l2 < L2_MIN * 0.999 || l2 > L2_MAX * 1.001) continue;
    const tried = fitAt(l2, decade);
    if (tried.loss < (best as Tried).loss - 1e-9) best = tried;
  }
  const chosen = best as Tried;
  const model = modelOf(layout, chosen.w, chosen.l2, F);
  return { model, grid, iterations };
}
