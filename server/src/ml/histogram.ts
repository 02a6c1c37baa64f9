/**
 * Gradient histograms: one Float64Array per node, two slots (gradient sum, hessian sum) per bin
 * (row counts are estimated from hessians, as LightGBM does), features laid end to end (`offsets[f]` is feature f's first bin, bin 0 = missing).
 * Bins are column-major (feature f of row r at f·n + r). The node's gradients are first gathered into
 * contiguous arrays, then each feature is swept on its own, so the histogram being written (one feature,
 * ≤ 256 bins) stays in L1 cache.
 */
export function buildHistogram(
  hist: Float64Array,
  bins: Uint8Array,
  binsByRow: Uint8Array,
  n: number,
  offsets: Int32Array,
  active: Int32Array,
  grad: Float32Array,
  hess: Float32Array,
  idx: Uint32Array,
  start: number,
  end: number,
  gOrd: Float32Array,
  hOrd: Float32Array,
): void {
  hist.fill(0);
  const m = end - start;
  // Small row sets (child nodes) are scattered over the columns: read each row's bins from the row-major
  // copy instead, one cache line per row for all features.
  if (m * 8 < n) {
    buildFromRows(hist, binsByRow, offsets, active, grad, hess, idx, start, end);
    return;
  }
  for (let k = 0; k < m; k++) {
    const r = idx[start + k] as number;
    gOrd[k] = grad[r] as number;
    hOrd[k] = hess[r] as number;
  }
  // All rows in order (the root without bagging): read bin columns sequentially, no index indirection.
  const identity = start === 0 && m === n && m > 0 && idx[m - 1] === m - 1;
  for (let j = 0; j < active.length; j++) {
    const f = active[j] as number;
    const col = f * n;
    const o = (offsets[f] as number) * 2;
    if (identity) {
      for (let k = 0; k < m; k++) {
        const p = o + (bins[col + k] as number) * 2;
        hist[p] = (hist[p] as number) + (gOrd[k] as number);
        hist[p + 1] = (hist[p + 1] as number) + (hOrd[k] as number);
      }
    } else {
      for (let k = 0; k < m; k++) {
        const p = o + (bins[col + (idx[start + k] as number)] as number) * 2;
        hist[p] = (hist[p] as number) + (gOrd[k] as number);
        hist[p + 1] = (hist[p + 1] as number) + (hOrd[k] as number);
      }
    }
  }
}

function buildFromRows(
  hist: Float64Array,
  binsByRow: Uint8Array,
  offsets: Int32Array,
  active: Int32Array,
  grad: Float32Array,
  hess: Float32Array,
  idx: Uint32Array,
  start: number,
  end: number,
): void {
  const F = offsets.length;
  const nActive = active.length;
  for (let k = start; k < end; k++) {
    const r = idx[k] as number;
    const g = grad[r] as number;
    const h = hess[r] as number;
    const base = r * F;
    for (let j = 0; j < nActive; j++) {
      const f = active[j] as number;
      const p = ((offsets[f] as number) + (binsByRow[base + f] as number)) * 2;
      hist[p] = (hist[p] as number) + g;
      hist[p + 1] = (hist[p + 1] as number) + h;
    }
  }
}

/** parent -= child: the larger child's histogram without reading its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parent.length; i++) parent[i] = (parent[i] as number) - (child[i] as number);
}

/** Reuses histogram buffers across nodes and trees instead of allocating per node. */
export class HistogramPool {
  readonly size: number;
  private readonly free: Float64Array[] = [];
  constructor(size: number) {
    this.size = size;
  }
  take(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.size);
  }
  give(buffer: Float64Array): void {
    this.free.push(buffer);
  }
}
