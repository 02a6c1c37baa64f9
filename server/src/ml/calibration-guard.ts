import { applyCalibration, fitIsotonic, fitPlatt } from './calibration.ts';
import type { Calibration, CalibrationCheck } from './types.ts';

/**
 * Calibration that cannot blow up. Platt's slope grows without bound as the spread of the margins it is
 * fitted on shrinks (10⁹–10¹¹ on a real funnel whose trees barely split), which writes every record as 0% or
 * 100%. So the slope is kept in [0, MAX_SLOPE], the calibrated predictions of the fitting slice must stay in
 * the range its labels can support, and a model whose calibrated scores do not spread falls back to the
 * prevalence, flagged in the model card.
 */

/** A GBDT trained on log loss is rarely off by more than ×2 in log-odds; the demo portal's slopes are 0.96–1.38. */
export const MAX_SLOPE = 5;
/** Fewer positives or negatives than this on the calibration slice: too few to estimate a slope. */
export const MIN_CLASS_ROWS = 5;
/** Standard deviation of calibrated log-odds on the fitting slice below which the model "has no spread". */
export const MIN_SPREAD = 0.05;
const MIN_ROWS = 20;

export interface GuardedCalibration {
  calibration: Calibration;
  check: CalibrationCheck;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => Math.log(p / (1 - p));

/** Newton's method on the intercept alone, with the slope fixed (Platt's smoothed targets). */
export function fitPlattIntercept(margins: ArrayLike<number>, labels: ArrayLike<number>, a: number, start = 0): number {
  const n = margins.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i] as number;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  let b = start;
  for (let iter = 0; iter < 50; iter++) {
    let g = 0;
    let h = 1e-12;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * (margins[i] as number) + b);
      g += p - ((labels[i] as number) === 1 ? hi : lo);
      h += p * (1 - p);
    }
    const step = Math.max(-5, Math.min(5, g / h));
    b -= step;
    if (Math.abs(step) < 1e-10) break;
  }
  return b;
}

function std(values: ArrayLike<number>, scale: number): number {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (values[i] as number) * scale;
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += ((values[i] as number) * scale - mean) ** 2;
  return Math.sqrt(sq / n);
}

/** The most extreme rates N₀ negatives and N₁ positives support (Laplace's rule of succession). */
export function supportedRange(labels: ArrayLike<number>): [number, number] {
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i] as number;
  const neg = labels.length - pos;
  return [1 / (neg + 2), (pos + 1) / (pos + 2)];
}

function withinRange(calibration: Calibration, margins: ArrayLike<number>, range: [number, number]): boolean {
  for (let i = 0; i < margins.length; i++) {
    const p = applyCalibration(calibration, margins[i] as number);
    if (!(p >= range[0] && p <= range[1])) return false;
  }
  return true;
}

function prevalenceFallback(prevalence: number, reason: string, method: Calibration['method']): GuardedCalibration {
  const rate = Math.min(Math.max(prevalence, 1e-6), 1 - 1e-6);
  return { calibration: { method: 'platt', a: 0, b: logit(rate) }, check: { method, noSpread: true, note: reason } };
}

/**
 * Platt with a bounded slope: too few rows of a class → slope fixed at 1 (only the offset is learned);
 * a slope above MAX_SLOPE is clamped, a negative one (the slice ranks inversely) means no usable spread;
 * if predictions still leave the supported range, the slope is halved until they do not.
 */
function boundedPlatt(margins: ArrayLike<number>, labels: ArrayLike<number>, prevalence: number): GuardedCalibration {
  const range = supportedRange(labels);
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i] as number;
  const neg = labels.length - pos;
  const notes: string[] = [];
  let a: number;
  let b: number;
  if (pos < MIN_CLASS_ROWS || neg < MIN_CLASS_ROWS) {
    a = 1;
    b = fitPlattIntercept(margins, labels, a);
    notes.push(`slope fixed at 1: the calibration slice has ${pos} positives / ${neg} negatives (fewer than ${MIN_CLASS_ROWS})`);
  } else {
    const free = fitPlatt(margins, labels);
    a = free.method === 'platt' ? free.a : 1;
    b = free.method === 'platt' ? free.b : 0;
    if (!Number.isFinite(a) || !Number.isFinite(b) || a > MAX_SLOPE) {
      notes.push(`slope ${Number.isFinite(a) ? a.toPrecision(3) : String(a)} clamped to ${MAX_SLOPE}`);
      a = MAX_SLOPE;
      b = fitPlattIntercept(margins, labels, a);
    } else if (a < 0) {
      return prevalenceFallback(prevalence, 'the model ranks the calibration slice inversely (Platt slope < 0)', 'platt');
    }
  }
  for (let k = 0; k < 30 && !withinRange({ method: 'platt', a, b }, margins, range); k++) {
    a /= 2;
    b = fitPlattIntercept(margins, labels, a, b);
    if (k === 0) notes.push('slope reduced until calibrated predictions stay within the range the labels support');
  }
  const spread = std(margins, a);
  if (spread < MIN_SPREAD) {
    return prevalenceFallback(
      prevalence,
      `the model has no spread: calibrated log-odds vary by ${spread.toFixed(3)} (sd) on the calibration slice, below ${MIN_SPREAD}`,
      'platt',
    );
  }
  return { calibration: { method: 'platt', a, b, bounds: range }, check: { method: 'platt', noSpread: false, note: notes.join('; ') } };
}

/**
 * Fits the requested calibration on the margins of a slice no tree was fitted on. `prevalence` (of the
 * training rows) is what a model without spread predicts for everyone.
 */
export function fitCalibration(
  method: Calibration['method'],
  margins: ArrayLike<number>,
  labels: ArrayLike<number>,
  prevalence: number,
): GuardedCalibration {
  if (method === 'none') return { calibration: { method: 'none' }, check: { method, noSpread: false, note: '' } };
  if (margins.length < MIN_ROWS) {
    return {
      calibration: { method: 'none' },
      check: { method: 'none', noSpread: false, note: `not calibrated: ${margins.length} calibration rows (fewer than ${MIN_ROWS})` },
    };
  }
  if (method === 'platt') return boundedPlatt(margins, labels, prevalence);
  if (std(margins, 1) < MIN_SPREAD) return prevalenceFallback(prevalence, 'the model has no spread on the calibration slice', 'isotonic');
  const calibration = fitIsotonic(
    Array.from(margins, (m) => sigmoid(m)),
    labels,
  );
  return { calibration, check: { method, noSpread: false, note: '' } };
}
