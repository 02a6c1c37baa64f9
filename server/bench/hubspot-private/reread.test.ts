import { describe, expect, it } from 'vitest';
import { streamReread, sumRereads } from './reread.ts';

const counts = (entries: [string, number][]) => new Map(entries);

describe('what a resumed sync read again', () => {
  it('counts stored records read on day two, telling those past the saved cursor from those behind it', () => {
    const r = streamReread({
      // 1-3 listed and stored, the cursor at 3 (1 and 2 done); 4 answered in the page in flight, not stored.
      dayOne: counts([
        ['1', 1],
        ['2', 1],
        ['3', 1],
        ['4', 1],
      ]),
      // Day two lists from 3: 3 again, 4 again, 5 for the first time; and 1 again (a resume that should not).
      total: counts([
        ['1', 2],
        ['2', 1],
        ['3', 2],
        ['4', 2],
        ['5', 1],
      ]),
      storedAtStop: new Set(['1', '2', '3']),
      cursor: '3',
    });
    expect(r).toEqual({ reread: 2, rereadBehindCursor: 1, storedPastCursor: 1, refetchedUnstored: 1 });
  });

  it('takes a finished stream as covered and a stream without a saved cursor as not', () => {
    const day = counts([['7', 1]]);
    expect(streamReread({ dayOne: day, total: day, storedAtStop: new Set(['7']), cursor: 'done' }).storedPastCursor).toBe(0);
    expect(streamReread({ dayOne: day, total: day, storedAtStop: new Set(['7']), cursor: null }).storedPastCursor).toBe(1);
    const a = { reread: 1, rereadBehindCursor: 0, storedPastCursor: 2, refetchedUnstored: 3 };
    expect(sumRereads({ a, b: a })).toEqual({ reread: 2, rereadBehindCursor: 0, storedPastCursor: 4, refetchedUnstored: 6 });
  });
});
