/**
 * The L2-regularised logistic regression as the scorer and the ONNX export see it. Its input is the same
 * float32 tensor the trees read (numbers as they are, categorical levels as their code, NaN = missing):
 * numbers are mean-imputed and standardised, with a missing indicator; categoricals are one-hot over the
 * spec's levels (the "other" level included) plus a missing column. Every constant is a float32 value, so
 * the TypeScript margin and ONNX Runtime's agree to float32 rounding of the arithmetic.
 */
export interface LinearNumeric {
  /** Column of the input tensor. */
  feature: number;
  mean: number;
  invScale: number;
  coef: number;
  missingCoef: number;
  /** Share of missing values on the fit slice (the indicator's mean, for contributions). */
  missingRate: number;
}

export interface LinearCategorical {
  feature: number;
  /** Coefficient per level code 0..L−1. */
  coefs: number[];
  /** Share of the fit slice at each level code (the one-hot columns' means). */
  frequencies: number[];
  missingCoef: number;
  missingRate: number;
}

export interface LinearModel {
  nFeatures: number;
  intercept: number;
  numeric: LinearNumeric[];
  categorical: LinearCategorical[];
  /** L2 strength chosen on the validation slice (penalty λ/2·‖w‖² on the mean log loss). */
  l2: number;
}

/** Standardised value of a numeric input; 0 (the mean) when missing. */
export function standardised(term: LinearNumeric, v: number): number {
  return Number.isNaN(v) ? 0 : (v - term.mean) * term.invScale;
}

/** Coefficient of the one-hot column a categorical code falls in (0 for a code outside the levels, as in ONNX). */
export function levelCoef(term: LinearCategorical, v: number): number {
  if (Number.isNaN(v)) return term.missingCoef;
  return Number.isInteger(v) ? (term.coefs[v] ?? 0) : 0;
}

export function linearMargin(model: LinearModel, x: Float32Array, offset: number): number {
  let m = model.intercept;
  for (const term of model.numeric) {
    const v = x[offset + term.feature] as number;
    m += Number.isNaN(v) ? term.missingCoef : term.coef * standardised(term, v);
  }
  for (const term of model.categorical) m += levelCoef(term, x[offset + term.feature] as number);
  return m;
}

/** Margins of selected rows of a row-major [n, nFeatures] matrix. */
export function linearMarginsOfRows(model: LinearModel, x: Float32Array, rows: Uint32Array): Float64Array {
  return Float64Array.from(rows, (r) => linearMargin(model, x, r * model.nFeatures));
}

/** Each categorical's expected coefficient over the fit slice (its share of the base value). */
function categoricalMean(term: LinearCategorical): number {
  let mean = term.missingCoef * term.missingRate;
  term.coefs.forEach((c, l) => {
    mean += c * (term.frequencies[l] as number);
  });
  return mean;
}

/**
 * The expected margin over the fit slice: the reference exact linear contributions are measured from
 * (standardised numbers average 0 there, indicators and one-hot columns their rates).
 */
export function linearBaseValue(model: LinearModel): number {
  let base = model.intercept;
  for (const term of model.numeric) base += term.missingCoef * term.missingRate;
  for (const term of model.categorical) base += categoricalMean(term);
  return base;
}

/**
 * Exact contributions of one row, coef × (x − mean) summed over each feature's design columns, written into
 * phi by input column: baseValue + Σ phi = margin exactly (these are the SHAP values of a linear model with
 * independent features).
 */
export function linearContributions(model: LinearModel, x: Float32Array, offset: number, phi: Float64Array): void {
  for (const term of model.numeric) {
    const v = x[offset + term.feature] as number;
    const missing = Number.isNaN(v) ? 1 : 0;
    phi[term.feature] = term.coef * standardised(term, v) + term.missingCoef * (missing - term.missingRate);
  }
  for (const term of model.categorical) {
    phi[term.feature] = levelCoef(term, x[offset + term.feature] as number) - categoricalMean(term);
  }
}
