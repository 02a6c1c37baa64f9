// What the second day of a sync stopped by HubSpot's daily limit read again, record by record: from the ids
// the sandbox answered on each day, the ids the store held at the stop and each stream's saved list cursor.

/** One stream of the connector's full sync at the stop, and what the sandbox answered for it on both days. */
export interface StreamReads {
  /** Times the sandbox answered each record id to a read on day one (up to the stop). */
  dayOne: ReadonlyMap<string, number>;
  /** The same, counted from the start to the end of day two. */
  total: ReadonlyMap<string, number>;
  /** Ids the store held at the stop. */
  storedAtStop: ReadonlySet<string>;
  /** The stream's saved list position (`full:<type>`) at the stop: the next id to list, `done`, or null (none saved). */
  cursor: string | null;
}

export interface StreamReread {
  /** Records stored before the stop that were read again. */
  reread: number;
  /** Of them, records the saved cursor had already passed: the resume should read none. */
  rereadBehindCursor: number;
  /** Records stored at the stop that the saved cursor had not passed (they are listed again on resume). */
  storedPastCursor: number;
  /** Records answered on day one but not stored by the stop (the page in flight, activities the sync skips), read again. */
  refetchedUnstored: number;
}

/** Whether the saved cursor covers a record: its list had moved past it (ids list in ascending order). */
function behindCursor(id: string, cursor: string | null): boolean {
  if (cursor === null) return false;
  if (cursor === 'done') return true;
  return Number(id) < Number(cursor);
}

export function streamReread(reads: StreamReads): StreamReread {
  let reread = 0;
  let rereadBehindCursor = 0;
  let refetchedUnstored = 0;
  for (const [id, total] of reads.total) {
    const before = reads.dayOne.get(id) ?? 0;
    if (total <= before || before === 0) continue; // not read on day two, or read for the first time then
    if (reads.storedAtStop.has(id)) {
      reread++;
      if (behindCursor(id, reads.cursor)) rereadBehindCursor++;
    } else refetchedUnstored++;
  }
  let storedPastCursor = 0;
  for (const id of reads.storedAtStop) if (!behindCursor(id, reads.cursor)) storedPastCursor++;
  return { reread, rereadBehindCursor, storedPastCursor, refetchedUnstored };
}

export function sumRereads(byStream: Record<string, StreamReread>): StreamReread {
  const sum: StreamReread = { reread: 0, rereadBehindCursor: 0, storedPastCursor: 0, refetchedUnstored: 0 };
  for (const r of Object.values(byStream)) {
    sum.reread += r.reread;
    sum.rereadBehindCursor += r.rereadBehindCursor;
    sum.storedPastCursor += r.storedPastCursor;
    sum.refetchedUnstored += r.refetchedUnstored;
  }
  return sum;
}
