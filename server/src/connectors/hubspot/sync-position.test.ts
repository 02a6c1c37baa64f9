import { describe, expect, it } from 'vitest';
import type { SyncCursors, SyncSink } from '../connector.ts';
import { SyncPosition } from './sync-position.ts';

/** A sink that only records checkpoints; the first one is slow, so a later move overtakes it unless reports are ordered. */
function checkpointSink(): { sink: SyncSink; saved: SyncCursors[] } {
  const saved: SyncCursors[] = [];
  let first = true;
  const nothing = async () => undefined;
  const sink: SyncSink = {
    records: nothing,
    activities: nothing,
    associations: nothing,
    customFields: nothing,
    stages: nothing,
    archive: nothing,
    archiveActivities: nothing,
    checkpoint: async (cursors) => {
      if (first) {
        first = false;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      saved.push(cursors);
    },
  };
  return { sink, saved };
}

describe('SyncPosition', () => {
  it('reports the whole map after each move, in the order positions moved', async () => {
    const { sink, saved } = checkpointSink();
    const position = new SyncPosition({ deal: 't0' }, sink);
    await Promise.all([position.advance('full:contact', 'p1'), position.advance('full:deal', 'p2')]);
    expect(saved).toEqual([
      { deal: 't0', 'full:contact': 'p1' },
      { deal: 't0', 'full:contact': 'p1', 'full:deal': 'p2' },
    ]);
  });

  it('drops a finished full sync’s positions from the map it returns', () => {
    const position = new SyncPosition({ 'full:started': 's', 'full:deal': 'done', 'archived:deal': 'a' }, checkpointSink().sink);
    position.set('deal', 's');
    position.clearFull();
    expect(position.snapshot()).toEqual({ 'archived:deal': 'a', deal: 's' });
  });
});
