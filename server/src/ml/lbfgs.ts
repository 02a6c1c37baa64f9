/**
 * Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4) with a backtracking Armijo line search, for smooth
 * convex objectives such as the L2-regularised logistic loss. Deterministic: no randomness, fixed order of
 * operations. `objective(w, grad)` returns f(w) and writes ∇f(w) into grad.
 */
export type Objective = (w: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations: number;
  /** Pairs of (step, gradient change) remembered. */
  memory?: number;
  /** Stop when the largest gradient component is below this. */
  gradientTolerance?: number;
  /** Stop when an iteration improves f by less than this (relative). */
  relativeTolerance?: number;
  /**
   * An approximation of the inverse Hessian as the initial estimate H0 (scaled each iteration as usual): a
   * positive diagonal, or a symmetric positive definite map applied as `apply(v)` (returns H0·v). It changes
   * the path, not the optimum: on badly scaled problems (one-hot columns of very different frequencies)
   * it saves most iterations.
   */
  preconditioner?: Float64Array | ((v: Float64Array) => Float64Array);
  /** Curvature pairs to start from (e.g. of a nearby objective, corrected); the final pairs are returned. */
  pairs?: CurvaturePairs;
  /** f(start) and ∇f(start) when the caller already has them (saves the first evaluation). */
  startValue?: { value: number; gradient: Float64Array };
}

/** Remembered (step, gradient change) pairs, oldest first. */
export interface CurvaturePairs {
  s: Float64Array[];
  y: Float64Array[];
}

export interface LbfgsResult {
  w: Float64Array;
  value: number;
  /** ∇f(w). */
  gradient: Float64Array;
  iterations: number;
  pairs: CurvaturePairs;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

type Preconditioner = LbfgsOptions['preconditioner'];

/** H0·v (the identity without a preconditioner). */
function applyH0(h0: Preconditioner, v: Float64Array): Float64Array {
  if (!h0) return Float64Array.from(v);
  if (typeof h0 === 'function') return h0(v);
  return Float64Array.from(v, (x, i) => x * (h0[i] as number));
}

/** The L-BFGS direction −H·g by the two-loop recursion over the remembered pairs (newest last). */
function direction(g: Float64Array, s: Float64Array[], y: Float64Array[], rho: number[], h0: Preconditioner): Float64Array {
  let q: Float64Array = Float64Array.from(g);
  const alpha = new Array<number>(s.length);
  for (let k = s.length - 1; k >= 0; k--) {
    const a = (rho[k] as number) * dot(s[k] as Float64Array, q);
    alpha[k] = a;
    const yk = y[k] as Float64Array;
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) - a * (yk[i] as number);
  }
  if (s.length > 0) {
    const last = s.length - 1;
    const yl = y[last] as Float64Array;
    const gamma = dot(s[last] as Float64Array, yl) / dot(yl, applyH0(h0, yl));
    q = applyH0(h0, q);
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) * gamma;
  } else if (h0) {
    q = applyH0(h0, q);
  }
  for (let k = 0; k < s.length; k++) {
    const b = (rho[k] as number) * dot(y[k] as Float64Array, q);
    const sk = s[k] as Float64Array;
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) + ((alpha[k] as number) - b) * (sk[i] as number);
  }
  for (let i = 0; i < q.length; i++) q[i] = -(q[i] as number);
  return q;
}

export function minimizeLbfgs(objective: Objective, start: Float64Array, options: LbfgsOptions): LbfgsResult {
  const memory = options.memory ?? 10;
  const gradientTolerance = options.gradientTolerance ?? 1e-7;
  const relativeTolerance = options.relativeTolerance ?? 1e-12;
  const n = start.length;
  let w = Float64Array.from(start);
  let g = options.startValue ? Float64Array.from(options.startValue.gradient) : new Float64Array(n);
  let f = options.startValue ? options.startValue.value : objective(w, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  for (let k = 0; k < (options.pairs?.s.length ?? 0); k++) {
    const sk = options.pairs?.s[k] as Float64Array;
    const yk = options.pairs?.y[k] as Float64Array;
    const sy = dot(sk, yk);
    if (!(sy > 1e-12)) continue;
    s.push(sk);
    y.push(yk);
    rho.push(1 / sy);
  }
  while (s.length > memory) {
    s.shift();
    y.shift();
    rho.shift();
  }
  let iterations = 0;
  const trial = new Float64Array(n);
  let trialGrad = new Float64Array(n);
  while (iterations < options.maxIterations && maxAbs(g) > gradientTolerance) {
    iterations++;
    let d = direction(g, s, y, rho, options.preconditioner);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      d = applyH0(options.preconditioner, g).map((v) => -v);
      slope = dot(g, d);
    }
    // The first step has no curvature estimate (unless preconditioned): scale it so it moves by at most 1 in
    // any coordinate.
    let step = s.length === 0 && !options.preconditioner ? Math.min(1, 1 / Math.max(maxAbs(d), 1e-12)) : 1;
    let fTrial = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 40; k++) {
      for (let i = 0; i < n; i++) trial[i] = (w[i] as number) + step * (d[i] as number);
      fTrial = objective(trial, trialGrad);
      if (Number.isFinite(fTrial) && fTrial <= f + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(Number.isFinite(fTrial) && fTrial <= f)) break; // no progress possible in this direction
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = (trial[i] as number) - (w[i] as number);
      yk[i] = (trialGrad[i] as number) - (g[i] as number);
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12) {
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
      if (s.length > memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
    }
    const improvement = f - fTrial;
    w = Float64Array.from(trial);
    const swap = g;
    g = trialGrad;
    trialGrad = swap;
    f = fTrial;
    if (improvement <= relativeTolerance * Math.max(1, Math.abs(f))) break;
  }
  return { w, value: f, gradient: g, iterations, pairs: { s, y } };
}
