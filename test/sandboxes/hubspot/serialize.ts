import { primaryTypeId } from './association-types.ts';
import { type ObjectTypeInfo, type ObjectTypeName, resolveObjectType } from './object-types.ts';
import type { Portal } from './portal.ts';
import { historyOf, type StoredRecord } from './store/object-store.ts';

export interface ReadOptions {
  properties?: string[] | undefined;
  propertiesWithHistory?: string[] | undefined;
  /** Object types whose associated ids to include (the v3 `associations` query parameter). */
  associations?: string[] | undefined;
}

export interface PublicObject {
  id: string;
  properties: Record<string, string | null>;
  propertiesWithHistory?: Record<
    string,
    Array<{ value: string; timestamp: string; sourceType: string; sourceId?: string; updatedByUserId?: number }>
  >;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  associations?: Record<string, { results: Array<{ id: string; type: string }> }>;
}

/**
 * A record as HubSpot's SimplePublicObject: without `properties`, the type's defaults; with them, the requested
 * ones that exist (unknown names are silently dropped, as HubSpot does) plus the always-returned ones. Unset → null.
 * History is newest first.
 */
export function toPublicObject(portal: Portal, type: ObjectTypeInfo, record: StoredRecord, options: ReadOptions): PublicObject {
  const names =
    options.properties && options.properties.length > 0
      ? [...new Set([...type.alwaysProperties, ...options.properties])]
      : type.defaultProperties;
  const properties: Record<string, string | null> = {};
  for (const name of names.sort()) {
    if (!portal.schema.property(type.name, name)) continue;
    properties[name] = record.properties[name] ?? null;
  }
  const out: PublicObject = {
    id: String(record.id),
    properties,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: record.archived,
  };
  if (record.archivedAt) out.archivedAt = record.archivedAt;
  if (options.propertiesWithHistory && options.propertiesWithHistory.length > 0) {
    out.propertiesWithHistory = {};
    for (const name of options.propertiesWithHistory) {
      if (!portal.schema.property(type.name, name)) continue;
      out.propertiesWithHistory[name] = historyOf(record, name)
        .slice()
        .reverse()
        .map((h) => ({
          value: h.value,
          timestamp: h.timestamp,
          sourceType: h.sourceType,
          ...(h.sourceId ? { sourceId: h.sourceId } : {}),
          ...(h.updatedByUserId === undefined ? {} : { updatedByUserId: h.updatedByUserId }),
        }));
    }
  }
  if (options.associations && options.associations.length > 0) {
    const associations: NonNullable<PublicObject['associations']> = {};
    for (const raw of options.associations) {
      const to = resolveObjectType(raw);
      if (!to) continue;
      const results = portal.associations.list(type.name, record.id, to.name).flatMap((a) =>
        a.associationTypes.map((t) => ({
          id: String(a.toObjectId),
          // v3 names: the Primary pair keeps the plain name, its unlabelled twin gets `_unlabeled`.
          type: `${type.singular}_to_${to.singular}${t.label === 'Primary' || !hasPrimary(type.name, to.name) ? '' : '_unlabeled'}`,
        })),
      );
      if (results.length > 0) associations[to.name] = { results };
    }
    if (Object.keys(associations).length > 0) out.associations = associations;
  }
  return out;
}

/** Query lists arrive repeated (`?properties=a&properties=b`, as the SDK sends) or comma-separated. */
export function queryList(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  return parts
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

function hasPrimary(from: ObjectTypeName, to: ObjectTypeName): boolean {
  return primaryTypeId(from, to) !== undefined;
}
