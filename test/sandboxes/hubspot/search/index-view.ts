import type { ObjectTypeInfo } from '../object-types.ts';
import type { StoredRecord } from '../store/object-store.ts';

/**
 * A record as HubSpot's search index saw it at `asOf`: search lags writes by a few seconds, so a record created
 * later is missing and a record changed later shows its earlier values (rebuilt from property history). Records
 * untouched since `asOf` are returned as they are, so the common case costs nothing.
 */
export function asIndexed(record: StoredRecord, type: ObjectTypeInfo, asOf: number): StoredRecord | undefined {
  const archivedLater = record.archived && record.archivedAt !== undefined && Date.parse(record.archivedAt) > asOf;
  if (Date.parse(record.updatedAt) <= asOf && !archivedLater) return record;
  if (Date.parse(record.createdAt) > asOf) return undefined;
  const properties = { ...record.properties };
  let lastChange = Date.parse(record.createdAt);
  for (const [name, entries] of Object.entries(record.history ?? {})) {
    let value: string | null = null;
    for (const entry of entries) {
      const at = Date.parse(entry.timestamp);
      if (at > asOf) break;
      value = entry.value;
      lastChange = Math.max(lastChange, at);
    }
    properties[name] = value;
  }
  const updatedAt = new Date(lastChange).toISOString();
  properties[type.modifiedProperty] = updatedAt;
  const { archivedAt: _ignored, ...rest } = record;
  return { ...rest, properties, updatedAt, archived: false };
}
