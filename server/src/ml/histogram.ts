/**
 * Gradient histograms: one Float64Array per node, three slots (gradient sum, hessian sum, row count) per
 * bin, features laid end to end (`offsets[f]` is feature f's first bin, bin 0 = missing).
 * Rows are read through an index array from the row-major Uint8 bin matrix, so one pass touches each
 * row's bins contiguously.
 */
export function buildHistogram(
  hist: Float64Array,
  bins: Uint8Array,
  F: number,
  offsets: Int32Array,
  active: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  idx: Uint32Array,
  start: number,
  end: number,
): void {
  hist.fill(0);
  const nActive = active.length;
  if (nActive === F) {
    for (let k = start; k < end; k++) {
      const r = idx[k] as number;
      const g = grad[r] as number;
      const h = hess[r] as number;
      const base = r * F;
      for (let f = 0; f < F; f++) {
        const o = ((offsets[f] as number) + (bins[base + f] as number)) * 3;
        hist[o] += g;
        hist[o + 1] += h;
        hist[o + 2] += 1;
      }
    }
    return;
  }
  for (let k = start; k < end; k++) {
    const r = idx[k] as number;
    const g = grad[r] as number;
    const h = hess[r] as number;
    const base = r * F;
    for (let j = 0; j < nActive; j++) {
      const f = active[j] as number;
      const o = ((offsets[f] as number) + (bins[base + f] as number)) * 3;
      hist[o] += g;
      hist[o + 1] += h;
      hist[o + 2] += 1;
    }
  }
}

/** parent -= child: the larger child's histogram without reading its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parent.length; i++) parent[i] -= child[i] as number;
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
