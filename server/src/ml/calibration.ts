import type { Calibration } from './types.ts';

/**
 * Platt scaling on the margin: p = σ(a·m + b), fitted by Newton's method on the log loss
 * (Platt's smoothed targets keep it from over-fitting small validation sets).
 */
export function fitPlatt(margins: ArrayLike<number>, labels: ArrayLike<number>): Calibration {
  const n = margins.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i] as number;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const m = margins[i] as number;
      const t = (labels[i] as number) === 1 ? hi : lo;
      const p = 1 / (1 + Math.exp(-(a * m + b)));
      const d = p - t;
      const w = p * (1 - p);
      ga += d * m;
      gb += d;
      haa += w * m * m;
      hab += w * m;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-18) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) break;
  }
  return { method: 'platt', a, b };
}

/** Isotonic regression (pool adjacent violators) of labels on probabilities; stored as a step function. */
export function fitIsotonic(probabilities: ArrayLike<number>, labels: ArrayLike<number>): Calibration {
  const n = probabilities.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (probabilities[i] as number) - (probabilities[j] as number));
  const xs: number[] = [];
  const sums: number[] = [];
  const weights: number[] = [];
  for (const i of order) {
    xs.push(probabilities[i] as number);
    sums.push(labels[i] as number);
    weights.push(1);
    while (sums.length > 1) {
      const k = sums.length - 1;
      if ((sums[k - 1] as number) / (weights[k - 1] as number) <= (sums[k] as number) / (weights[k] as number)) break;
      sums[k - 1] = (sums[k - 1] as number) + (sums[k] as number);
      weights[k - 1] = (weights[k - 1] as number) + (weights[k] as number);
      xs[k - 1] = xs[k] as number; // block's upper edge
      sums.pop();
      weights.pop();
      xs.pop();
    }
  }
  // A block of only negatives (or only positives) would be written as exactly 0% (100%): block rates are kept
  // within the range the labels support (Laplace's rule of succession), which keeps them monotone.
  const positives = sums.reduce((a, b) => a + b, 0);
  const lo = 1 / (n - positives + 2);
  const hi = (positives + 1) / (positives + 2);
  const y = sums.map((s, k) => Math.min(hi, Math.max(lo, s / (weights[k] as number))));
  return { method: 'isotonic', x: xs, y };
}

/** Calibrated probability from a raw margin. Isotonic interpolates linearly between block edges. */
export function applyCalibration(calibration: Calibration, margin: number): number {
  switch (calibration.method) {
    case 'none':
      return 1 / (1 + Math.exp(-margin));
    case 'platt': {
      const p = 1 / (1 + Math.exp(-(calibration.a * margin + calibration.b)));
      return calibration.bounds ? Math.min(Math.max(p, calibration.bounds[0]), calibration.bounds[1]) : p;
    }
    case 'isotonic': {
      const p = 1 / (1 + Math.exp(-margin));
      const { x, y } = calibration;
      if (x.length === 0) return p;
      if (p <= (x[0] as number)) return y[0] as number;
      const last = x.length - 1;
      if (p >= (x[last] as number)) return y[last] as number;
      let lo = 0;
      let hi = last;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if ((x[mid] as number) <= p) lo = mid;
        else hi = mid;
      }
      const x0 = x[lo] as number;
      const x1 = x[hi] as number;
      const t = x1 > x0 ? (p - x0) / (x1 - x0) : 0;
      return (y[lo] as number) + t * ((y[hi] as number) - (y[lo] as number));
    }
  }
}

/** Calibrated probability from a raw (uncalibrated) model probability, for models whose margin is not exposed. */
export function applyCalibrationToProbability(calibration: Calibration, p: number): number {
  if (calibration.method === 'none') return p;
  const clipped = Math.min(Math.max(p, 1e-15), 1 - 1e-15);
  return applyCalibration(calibration, Math.log(clipped / (1 - clipped)));
}
