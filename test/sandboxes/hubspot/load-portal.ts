import type { PortalData, SeedObjectType, SeedRecord } from '../seed/portal-data.ts';
import type { ObjectTypeName } from './object-types.ts';
import { objectType } from './object-types.ts';
import type { Portal } from './portal.ts';
import { deriveDealProperties } from './records.ts';
import type { HistoryEntry, StoredRecord } from './store/object-store.ts';
import { makeStage } from './store/pipelines.ts';
import { boolOptions, defaultGroupName, toOptions } from './store/schema-store.ts';

/** Seed id → HubSpot id, per seed type (activities under their engagement type). */
export interface LoadResult {
  ids: Record<ObjectTypeName, Map<string, string>>;
  counts: Record<ObjectTypeName, number>;
  /** Seed properties the portal did not define, created as text properties (so drift is visible). */
  undeclaredProperties: string[];
}

const SEED_TO_TYPE: Record<SeedObjectType, ObjectTypeName> = { contact: 'contacts', company: 'companies', deal: 'deals' };
const ACTIVITY_TO_TYPE = { email: 'emails', call: 'calls', meeting: 'meetings', note: 'notes', task: 'tasks' } as const;

/**
 * Loads a CRM-neutral portal into the sandbox without going through the API (no rate limits, no webhooks),
 * as if the portal had always held it. `truth` is never loaded. Numeric seed ids are kept; others get fresh ids.
 */
export function loadPortal(portal: Portal, data: PortalData): LoadResult {
  const ids = Object.fromEntries(
    ['contacts', 'companies', 'deals', 'calls', 'emails', 'meetings', 'notes', 'tasks'].map((t) => [t, new Map()]),
  ) as LoadResult['ids'];
  // Numeric twin of `ids`, for the association pass (string→number on every edge is measurable at 100k).
  const numeric = Object.fromEntries(Object.keys(ids).map((t) => [t, new Map<string, number>()])) as Record<
    ObjectTypeName,
    Map<string, number>
  >;
  const undeclared = new Set<string>();
  loadOwners(portal, data);
  loadPipelines(portal, data);
  loadCustomProperties(portal, data);

  // Property names (and enumeration values) already checked, per type: a 100k portal repeats the same few dozen,
  // millions of times, so the lookup is two Map hits without building a key string.
  const checked = new Map<ObjectTypeName, Map<string, Set<string> | 'all'>>();
  const checkProperty = (type: ObjectTypeName, name: string, value: string) => {
    let forType = checked.get(type);
    if (!forType) {
      forType = new Map();
      checked.set(type, forType);
    }
    let seen = forType.get(name);
    if (seen === 'all' || seen?.has(value)) return;
    const def = portal.schema.property(type, name);
    if (!def) {
      undeclared.add(`${type}.${name}`);
      portal.schema.putProperty(type, textProperty(name, defaultGroupName(objectType(type)), portal.nowIso()));
    } else if (def.type === 'enumeration') {
      portal.schema.ensureOption(type, name, value);
    }
    // Enumerations are checked per value (each may add an option); other types once per property.
    if (def?.type !== 'enumeration') {
      forType.set(name, 'all');
      return;
    }
    if (!seen) {
      seen = new Set();
      forType.set(name, seen);
    }
    seen.add(value);
  };

  const put = (
    type: ObjectTypeName,
    seed: Pick<SeedRecord, 'id' | 'createdAt' | 'updatedAt' | 'properties'> & { history?: SeedRecord['history'] },
    timestampProperty?: string,
  ) => {
    const info = objectType(type);
    const id = /^\d+$/.test(seed.id) && Number(seed.id) < Number.MAX_SAFE_INTEGER ? Number(seed.id) : portal.allocateId();
    portal.reserveId(id);
    ids[type].set(seed.id, String(id));
    // Only contacts, companies and deals are association targets by seed id.
    if (type === 'contacts' || type === 'companies' || type === 'deals') numeric[type].set(seed.id, id);
    // A shallow clone keeps the seed's object shape (fast), and leaves the caller's data untouched.
    const properties: Record<string, string | null> = { ...seed.properties };
    for (const name in properties) {
      const value = properties[name];
      if (value !== null && value !== undefined) checkProperty(type, name, value);
    }
    if (timestampProperty) properties[timestampProperty] = seed.createdAt;
    properties[info.createdProperty] = seed.createdAt;
    properties[info.modifiedProperty] = seed.updatedAt;
    properties.hs_object_id = String(id);
    const record: StoredRecord = { id, properties, createdAt: seed.createdAt, updatedAt: seed.updatedAt, archived: false };
    if (seed.history) {
      let history: Record<string, HistoryEntry[]> | undefined;
      for (const name in seed.history) {
        history ??= {};
        history[name] = (seed.history[name] ?? []).map((e) => ({ value: e.value ?? '', timestamp: e.timestamp, sourceType: 'CRM_UI' }));
      }
      if (history) record.history = history;
    }
    if (type === 'deals') deriveDealProperties(portal, record);
    portal.objects[type].put(record);
    return id;
  };

  for (const c of data.companies) put('companies', c);
  for (const c of data.contacts) put('contacts', c);
  for (const d of data.deals) put('deals', d);

  const resolve = (type: ObjectTypeName, seedId: string): number | undefined => numeric[type].get(seedId);

  for (const a of data.associations) {
    const from = SEED_TO_TYPE[a.fromType];
    const to = SEED_TO_TYPE[a.toType];
    const fromId = resolve(from, a.fromId);
    const toId = resolve(to, a.toId);
    if (fromId === undefined || toId === undefined) {
      throw new Error(`association ${a.fromType} ${a.fromId} → ${a.toType} ${a.toId} names a record the portal lacks`);
    }
    // The first company of a contact or deal is its primary company, as HubSpot's UI sets it.
    const primary = to === 'companies' && !portal.associations.hasAny(from, fromId, to);
    portal.associations.associateDefault(from, fromId, to, toId, primary);
  }

  for (const act of data.activities) {
    const type = ACTIVITY_TO_TYPE[act.kind];
    const id = put(type, { id: act.id, createdAt: act.timestamp, updatedAt: act.timestamp, properties: act.properties }, 'hs_timestamp');
    for (const [targetType, seedIds] of [
      ['contacts', act.contactIds],
      ['companies', act.companyIds],
      ['deals', act.dealIds],
    ] as const) {
      for (const seedId of seedIds) {
        const toId = resolve(targetType, seedId);
        if (toId === undefined) throw new Error(`activity ${act.id} names ${targetType} ${seedId}, which the portal lacks`);
        portal.associations.associateDefault(type, id, targetType, toId);
      }
    }
  }

  portal.invalidateEmailIndex();
  const counts = Object.fromEntries(Object.entries(portal.objects).map(([k, v]) => [k, v.size])) as LoadResult['counts'];
  return { ids, counts, undeclaredProperties: [...undeclared].sort() };
}

function loadOwners(portal: Portal, data: PortalData): void {
  const at = portal.nowIso();
  portal.owners = data.owners.map((o, i) => ({
    id: o.id,
    email: o.email,
    firstName: o.firstName,
    lastName: o.lastName,
    userId: 9_000_000 + i,
    createdAt: at,
    updatedAt: at,
    archived: false,
  }));
  portal.syncOwnerOptions();
}

function loadPipelines(portal: Portal, data: PortalData): void {
  if (data.pipelines.length === 0) return;
  const at = portal.nowIso();
  portal.pipelines = data.pipelines.map((p, i) => ({
    id: p.id,
    label: p.label,
    displayOrder: i,
    createdAt: at,
    updatedAt: at,
    archived: false,
    stages: p.stages.map((s) => makeStage(s, at)),
  }));
  portal.syncPipelineOptions();
}

function loadCustomProperties(portal: Portal, data: PortalData): void {
  const at = portal.nowIso();
  for (const cp of data.customProperties) {
    const type = SEED_TO_TYPE[cp.objectType];
    const info = objectType(type);
    portal.schema.putProperty(type, {
      ...textProperty(cp.name, defaultGroupName(info), at),
      label: cp.label,
      type: cp.type,
      fieldType: cp.fieldType,
      options: cp.type === 'bool' ? boolOptions() : toOptions((cp.options ?? []).map((v) => [v, cp.optionLabels?.[v] ?? v] as const)),
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
    });
  }
}

function textProperty(name: string, groupName: string, at: string) {
  return {
    name,
    label: name,
    type: 'string' as const,
    fieldType: 'text',
    description: '',
    groupName,
    options: [],
    displayOrder: -1,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: false,
    hidden: false,
    formField: true,
    modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
    createdAt: at,
    updatedAt: at,
    archived: false,
    dataSensitivity: 'non_sensitive' as const,
  };
}
