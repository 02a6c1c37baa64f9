/**
 * One object type's records, in memory. Records are kept in ascending numeric id order because HubSpot's
 * list endpoint pages by id (`after` is an id cursor) and search's default order is by id too.
 */
export interface HistoryEntry {
  value: string;
  timestamp: string;
  sourceType: string;
  sourceId?: string;
  /** Set on changes a person made (HubSpot's property history names the user). */
  updatedByUserId?: number;
}

export interface StoredRecord {
  id: number;
  /** Current values; absent keys are unset. */
  properties: Record<string, string | null>;
  /**
   * History only for properties that have one beyond their initial value (oldest first). Other properties'
   * history is synthesised on read (one entry at creation), which keeps 100k-record portals small.
   */
  history?: Record<string, HistoryEntry[]>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  /** Who created the record: the source of synthesised initial history entries (CRM_UI for loaded data). */
  createdBy?: { sourceType: string; sourceId?: string };
}

export class ObjectStore {
  private readonly byId = new Map<number, StoredRecord>();
  private ordered: StoredRecord[] = [];
  private sorted = true;

  get size(): number {
    return this.byId.size;
  }

  get(id: number): StoredRecord | undefined {
    return this.byId.get(id);
  }

  put(record: StoredRecord): void {
    const existing = this.byId.get(record.id);
    if (existing) {
      const i = this.ordered.indexOf(existing);
      this.ordered[i] = record;
    } else {
      const last = this.ordered[this.ordered.length - 1];
      if (last && last.id > record.id) this.sorted = false;
      this.ordered.push(record);
    }
    this.byId.set(record.id, record);
  }

  /** Removes a record for good (a GDPR delete, a merge): unlike archiving, not even `archived=true` lists it. */
  delete(id: number): boolean {
    const existing = this.byId.get(id);
    if (!existing) return false;
    this.byId.delete(id);
    this.ordered.splice(this.ordered.indexOf(existing), 1);
    return true;
  }

  /** All records in id order (archived included; callers filter). */
  all(): readonly StoredRecord[] {
    if (!this.sorted) {
      this.ordered.sort((a, b) => a.id - b.id);
      this.sorted = true;
    }
    return this.ordered;
  }

  /** Index of the first record with id >= `fromId` (binary search over the id order). */
  indexFrom(fromId: number): number {
    const list = this.all();
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as StoredRecord).id < fromId) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** History of one property, oldest first, synthesising the initial entry when none was recorded. */
export function historyOf(record: StoredRecord, name: string): HistoryEntry[] {
  const recorded = record.history?.[name];
  if (recorded) return recorded;
  const value = record.properties[name];
  if (value === undefined || value === null) return [];
  const by = record.createdBy ?? { sourceType: 'CRM_UI' };
  return [{ value, timestamp: record.createdAt, sourceType: by.sourceType, ...(by.sourceId ? { sourceId: by.sourceId } : {}) }];
}
