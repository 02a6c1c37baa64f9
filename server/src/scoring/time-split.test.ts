import { describe, expect, it } from 'vitest';
import { type Snapshot, timeSplit } from './snapshots.ts';

const DAY = 86_400_000;

/** Records with snapshots at several ages, as the deal and contact snapshot builders make them. */
function portal(orders: number[]): Snapshot[] {
  return orders.flatMap((order, i) =>
    [0, 14, 30].map((offset, k) => ({
      recordId: String(1000 + i),
      t: order - 60 * DAY + offset * DAY,
      label: (i % 3 === 0 ? 1 : 0) as 0 | 1,
      primary: k === 0,
      order,
    })),
  );
}

const heldOutRecords = (split: { holdout: Snapshot[] }) => new Set(split.holdout.map((s) => s.recordId));

describe('timeSplit', () => {
  it('holds out the stated share of records when date-only timestamps tie', () => {
    // A real export's shape: 100 deals closed on five dates, 60 of them on the last (a quarter-end).
    const dates = [1, 2, 3, 4].map((d) => Date.UTC(2017, 2, d));
    const quarterEnd = Date.UTC(2017, 2, 31);
    const orders = [...Array.from({ length: 40 }, (_, i) => dates[i % 4]!), ...Array.from({ length: 60 }, () => quarterEnd)];
    const split = timeSplit(portal(orders));
    expect(heldOutRecords(split).size).toBe(20);
    expect(split.holdout.length + split.train.length).toBe(300);
  });

  it('keeps every snapshot of a record on one side, and the hold-out is never older than the training', () => {
    const orders = Array.from({ length: 57 }, (_, i) => Date.UTC(2026, 0, 1 + Math.floor(i / 7)));
    const split = timeSplit(portal(orders));
    const train = new Set(split.train.map((s) => s.recordId));
    const held = heldOutRecords(split);
    expect([...held].filter((id) => train.has(id))).toEqual([]);
    expect(held.size).toBe(57 - Math.floor(57 * 0.8));
    expect(Math.max(...split.train.map((s) => s.order))).toBeLessThanOrEqual(Math.min(...split.holdout.map((s) => s.order)));
    expect(split.cutoff).toBe(Math.min(...split.holdout.map((s) => s.order)));
  });

  it('with distinct moments, the latest records are held out (time decides, not the id)', () => {
    // Ids run against time here: 1000 closed last.
    const orders = Array.from({ length: 10 }, (_, i) => Date.UTC(2026, 0, 10 - i));
    const split = timeSplit(portal(orders));
    expect([...heldOutRecords(split)].sort()).toEqual(['1000', '1001']);
  });
});
