import { addHistoryObjects, HISTORY_OBJECTS, recordCreated } from './field-history.ts';
import { normalizeId, salesforceId } from './ids.ts';
import { buildSchema, type FieldDef, type ObjectDef } from './schema.ts';

export type SValue = string | number | boolean | null;
export type SRecord = Record<string, SValue>;

/** Salesforce's datetime format on the wire: millisecond precision and a +0000 offset. */
export function sfDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

// Filters and sorts compare the same few stamps many times over; parsing once per distinct text is enough.
const parsed = new Map<string, number>();

export function parseSfDateTime(text: string): number {
  const cached = parsed.get(text);
  if (cached !== undefined) return cached;
  const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (parsed.size > 500_000) parsed.clear();
  parsed.set(text, ms);
  return ms;
}

/**
 * The org's data: records per object keyed by id, the schema, and a monotonic clock. The clock never
 * runs behind the loaded data (a portal's "now" may be ahead of the wall clock), so a record changed after
 * a sync always gets a SystemModstamp later than anything that sync saw.
 */
export class Org {
  readonly schema: Map<string, ObjectDef>;
  readonly records = new Map<string, Map<string, SRecord>>();
  private readonly byPrefix = new Map<string, string>();
  private counter = 0;
  private lastStamp = 0;

  constructor(options: { stageNames: string[]; closewiseFieldsInstalled: boolean }) {
    this.schema = buildSchema(options);
    addHistoryObjects(this.schema);
    for (const def of this.schema.values()) {
      this.records.set(def.name, new Map());
      this.byPrefix.set(def.keyPrefix, def.name);
    }
  }

  /** Case-insensitive lookup, as the API is case-insensitive about names. */
  object(name: string): ObjectDef | undefined {
    const exact = this.schema.get(name);
    if (exact) return exact;
    const lower = name.toLowerCase();
    for (const def of this.schema.values()) if (def.name.toLowerCase() === lower) return def;
    return undefined;
  }

  field(def: ObjectDef, name: string): FieldDef | undefined {
    const exact = def.fields.get(name);
    if (exact) return exact;
    const lower = name.toLowerCase();
    for (const field of def.fields.values()) if (field.name.toLowerCase() === lower) return field;
    return undefined;
  }

  /** Advances the clock past `ms` (used when loading data stamped in the future of the wall clock). */
  observe(ms: number): void {
    if (ms > this.lastStamp) this.lastStamp = ms;
  }

  now(): number {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return this.lastStamp;
  }

  insert(objectName: string, values: SRecord, createdAt?: string): SRecord {
    const def = this.schema.get(objectName);
    if (!def) throw new Error(`unknown object ${objectName}`);
    this.counter += 1;
    const id = salesforceId(def.keyPrefix, this.counter);
    const created = createdAt ? parseSfDateTime(createdAt) : this.now();
    this.observe(created);
    const stamp = sfDateTime(created);
    const record: SRecord = { Id: id, CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp, IsDeleted: false };
    for (const [key, value] of Object.entries(values)) record[key] = value;
    this.records.get(objectName)?.set(id, record);
    if (HISTORY_OBJECTS[objectName]) recordCreated(this, objectName, record);
    return record;
  }

  /** Stamps a record as modified now. */
  touch(record: SRecord): void {
    const stamp = sfDateTime(this.now());
    record.LastModifiedDate = stamp;
    record.SystemModstamp = stamp;
  }

  get(id: string): { object: ObjectDef; record: SRecord } | undefined {
    const full = normalizeId(id);
    const objectName = this.byPrefix.get(full.slice(0, 3));
    if (!objectName) return undefined;
    const record = this.records.get(objectName)?.get(full);
    const object = this.schema.get(objectName);
    return record && object ? { object, record } : undefined;
  }

  all(objectName: string): SRecord[] {
    return [...(this.records.get(objectName)?.values() ?? [])];
  }

  count(objectName: string): number {
    return this.records.get(objectName)?.size ?? 0;
  }
}
