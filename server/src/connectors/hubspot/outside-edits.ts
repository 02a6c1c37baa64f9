import type { ObjectType } from '../../store/schema.ts';
import type { OutsideEdit } from '../connector.ts';
import type { HubSpotObject } from './sdk-objects.ts';
import type { WrittenValues } from './write-log.ts';

/** Restamped on every write; a changed timestamp alone is nothing a rep or a list filter reads. */
const TIMESTAMP_PROPERTY = 'closewise_scored_at';
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T/;

type HistoryEntry = NonNullable<HubSpotObject['propertiesWithHistory']>[string][number];

/** The same value in HubSpot's spelling and ours: numbers and datetimes may come back written another way. */
export function sameValue(a: string | null | undefined, b: string | null | undefined): boolean {
  const x = a ?? '';
  const y = b ?? '';
  if (x === y) return true;
  if (x === '' || y === '') return false;
  const nx = Number(x);
  const ny = Number(y);
  if (Number.isFinite(nx) && Number.isFinite(ny)) return nx === ny;
  return ISO_DATETIME.test(x) && ISO_DATETIME.test(y) && Date.parse(x) === Date.parse(y);
}

const sourceOf = (entry: HistoryEntry) => `${entry.sourceType ?? ''}|${entry.sourceId ?? ''}`;
const timeOf = (entry: HistoryEntry) => (entry.timestamp instanceof Date ? entry.timestamp : new Date(entry.timestamp));

/** History newest first, whatever order HubSpot sent it in (it documents newest first). */
function newestFirst(entries: HistoryEntry[]): HistoryEntry[] {
  return entries.slice().sort((a, b) => timeOf(b).getTime() - timeOf(a).getTime());
}

/**
 * Whether the newest change of a property came from someone other than Closewise. Closewise's own source is
 * the one of the newest entry holding the value Closewise wrote (HubSpot records an app's writes as
 * INTEGRATION with the app's id; a private app's likewise); when history no longer shows that value, any
 * source but an integration counts as outside.
 */
function outsideChange(history: HistoryEntry[], written: string): HistoryEntry | null {
  const [newest] = history;
  if (!newest) return null;
  const ours = history.find((entry) => sameValue(entry.value, written));
  if (ours) return sourceOf(ours) === sourceOf(newest) ? null : newest;
  return newest.sourceType === 'INTEGRATION' ? null : newest;
}

/**
 * Closewise's properties as HubSpot holds them now, against what Closewise last wrote to them (the write
 * log): a property that differs, and whose newest history entry came from someone else, is an outside edit.
 * A difference whose newest entry is Closewise's own is one of our writes crossing this read (or landing
 * before a crash kept it out of the log), which the pending write-back settles: not an edit.
 */
export function findOutsideEdits(objectType: ObjectType, objects: HubSpotObject[], written: Map<string, WrittenValues>): OutsideEdit[] {
  const edits: OutsideEdit[] = [];
  for (const object of objects) {
    const last = written.get(object.id);
    if (!last) continue;
    for (const [property, value] of Object.entries(last)) {
      if (property === TIMESTAMP_PROPERTY) continue;
      const current = object.properties[property];
      if (current === undefined || sameValue(current, value)) continue;
      const change = outsideChange(newestFirst(object.propertiesWithHistory?.[property] ?? []), value);
      if (!change) continue;
      edits.push({
        objectType,
        externalId: object.id,
        property,
        value: current,
        sourceType: change.sourceType ?? 'UNKNOWN',
        sourceId: change.sourceId ?? null,
        changedAt: timeOf(change),
      });
    }
  }
  return edits;
}
