/** Best split of one node from its histogram, with learned direction for missing values. */
export interface SplitCandidate {
  gain: number;
  feature: number;
  /** Rows with bin ≤ bin go left (bin = nBins means "every non-missing value"). */
  bin: number;
  missingLeft: boolean;
  leftG: number;
  leftH: number;
  leftC: number;
}

export interface SplitContext {
  F: number;
  offsets: Int32Array;
  nBins: Int32Array;
  l2: number;
  minSamplesLeaf: number;
  minHessianLeaf: number;
  /** Per feature: -1, 0 or +1. */
  monotone: Int8Array;
  hasMonotone: boolean;
}

export interface NodeStats {
  G: number;
  H: number;
  C: number;
  /** Bounds on the (unscaled) leaf value imposed by monotone ancestors. */
  lo: number;
  hi: number;
}

export function leafWeight(G: number, H: number, l2: number, lo: number, hi: number): number {
  const w = -G / (H + l2);
  return Math.min(Math.max(w, lo), hi);
}

/** Twice the loss reduction of using weight w on a node (equals G²/(H+λ) at the optimum). */
function score(G: number, H: number, l2: number, w: number): number {
  return -(2 * G * w + (H + l2) * w * w);
}

export function findBestSplit(ctx: SplitContext, hist: Float64Array, node: NodeStats, active: Int32Array): SplitCandidate | null {
  const { l2, minSamplesLeaf, minHessianLeaf } = ctx;
  const { G, H, C } = node;
  const constrained = ctx.hasMonotone;
  const parentScore = constrained ? score(G, H, l2, leafWeight(G, H, l2, node.lo, node.hi)) : (G * G) / (H + l2);
  let best: SplitCandidate | null = null;
  let bestGain = 1e-10;
  // Histograms hold no counts: a side's row count is estimated from its hessian share (LightGBM's approach).
  const countPerHessian = H > 0 ? C / H : 0;
  for (let j = 0; j < active.length; j++) {
    const f = active[j] as number;
    const nb = ctx.nBins[f] as number;
    if (nb < 1) continue;
    const mono = ctx.monotone[f] as number;
    const o = (ctx.offsets[f] as number) * 2;
    const mG = hist[o] as number;
    const mH = hist[o + 1] as number;
    const mC = mH * countPerHessian;
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let b = 1; b <= nb; b++) {
      const p = o + b * 2;
      gl += hist[p] as number;
      hl += hist[p + 1] as number;
      cl = hl * countPerHessian;
      if (hl === 0) continue;
      // Two candidates per threshold: missing values right (as-is) or left (added to the left side).
      for (let side = 0; side < 2; side++) {
        let lG = gl;
        let lH = hl;
        let lC = cl;
        if (side === 1) {
          if (mH === 0) break;
          lG += mG;
          lH += mH;
          lC += mC;
        } else if (b === nb && mH === 0) continue;
        if (b === nb && side === 1) break;
        const rC = C - lC;
        if (lC < minSamplesLeaf || rC < minSamplesLeaf) continue;
        const rH = H - lH;
        if (lH < minHessianLeaf || rH < minHessianLeaf) continue;
        const rG = G - lG;
        let gain: number;
        if (!constrained) {
          gain = (lG * lG) / (lH + l2) + (rG * rG) / (rH + l2) - parentScore;
        } else {
          const wl = leafWeight(lG, lH, l2, node.lo, node.hi);
          const wr = leafWeight(rG, rH, l2, node.lo, node.hi);
          if ((mono > 0 && wl > wr) || (mono < 0 && wl < wr)) continue;
          gain = score(lG, lH, l2, wl) + score(rG, rH, l2, wr) - parentScore;
        }
        if (gain > bestGain) {
          bestGain = gain;
          // With no missing rows here, send future missing values to the bigger side.
          const missingLeft = mH > 0 ? side === 1 : lC >= rC;
          best = { gain, feature: f, bin: b, missingLeft, leftG: lG, leftH: lH, leftC: lC };
        }
      }
    }
  }
  return best;
}
