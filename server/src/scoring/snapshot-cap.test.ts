import { describe, expect, it } from 'vitest';
import { capSnapshots, type Snapshot } from './snapshots.ts';

const snapshots: Snapshot[] = Array.from({ length: 5000 }, (_, record) =>
  Array.from({ length: 1 + (record % 4) }, (_, k) => ({
    recordId: String(10_000 + record),
    t: k,
    label: (record % 5 === 0 ? 1 : 0) as 0 | 1,
    primary: k === 0,
    order: record,
  })),
).flat();

describe('capSnapshots', () => {
  it('leaves a portal under the cap untouched', () => {
    expect(capSnapshots(snapshots, snapshots.length, 1)).toBe(snapshots);
  });

  it('keeps whole records only, at most the cap, in the original order, the same for the same seed', () => {
    const capped = capSnapshots(snapshots, 3000, 7);
    expect(capped.length).toBeLessThanOrEqual(3000);
    expect(capped.length).toBeGreaterThan(2990);
    const kept = new Set(capped.map((s) => s.recordId));
    expect(capped.length).toBe(snapshots.filter((s) => kept.has(s.recordId)).length);
    expect(capped).toEqual(snapshots.filter((s) => kept.has(s.recordId)));
    expect(capSnapshots(snapshots, 3000, 7)).toEqual(capped);
    expect(capSnapshots(snapshots, 3000, 8)).not.toEqual(capped);
  });

  it('draws records uniformly: the label rate and the time spread are kept', () => {
    const capped = capSnapshots(snapshots, 2500, 3);
    const rate = (xs: Snapshot[]) => xs.filter((s) => s.label === 1).length / xs.length;
    expect(Math.abs(rate(capped) - rate(snapshots))).toBeLessThan(0.03);
    const meanOrder = (xs: Snapshot[]) => xs.reduce((a, s) => a + s.order, 0) / xs.length;
    expect(Math.abs(meanOrder(capped) - meanOrder(snapshots))).toBeLessThan(150);
  });
});
