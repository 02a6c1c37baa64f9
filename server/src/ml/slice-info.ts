import type { SliceInfo } from './types.ts';

/** Rows, positives and (when time is given) the time range of one slice of a dataset, as the model card shows it. */
export function sliceInfo(rows: Uint32Array, labels: ArrayLike<number>, time: ArrayLike<number> | undefined): SliceInfo {
  let positives = 0;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    positives += labels[r] as number;
    if (time) {
      from = Math.min(from, time[r] as number);
      to = Math.max(to, time[r] as number);
    }
  }
  return time && rows.length > 0 ? { rows: rows.length, positives, timeFrom: from, timeTo: to } : { rows: rows.length, positives };
}
