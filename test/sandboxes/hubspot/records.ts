import { HubSpotApiError, validationError } from './errors.ts';
import type { ObjectTypeInfo } from './object-types.ts';
import type { Portal } from './portal.ts';
import { historyOf, type StoredRecord } from './store/object-store.ts';
import { normalizeValue, type PropertyValueError } from './store/property-values.ts';

/** Who made a write; HubSpot records it in property history and webhook events (changeSource/sourceId). */
export interface WriteSource {
  sourceType: string;
  sourceId?: string;
}

/** A change worth a webhook event. */
export interface RecordChange {
  type: ObjectTypeInfo;
  objectId: number;
  kind: 'creation' | 'propertyChange' | 'deletion' | 'privacyDeletion' | 'merge' | 'associationChange';
  propertyName?: string;
  propertyValue?: string;
  occurredAt: number;
  source: WriteSource;
  /** A merge: the payload fields HubSpot adds (the event's objectId is the surviving record). */
  merge?: { primaryObjectId: number; mergedObjectIds: number[]; newObjectId: number; numberOfPropertiesMoved: number };
  /** An association change, seen from `type`/`objectId` (the `from` end); HubSpot sends one per end. */
  association?: {
    toType: ObjectTypeInfo;
    toObjectId: number;
    associationTypeId: number;
    associationRemoved: boolean;
    isPrimaryAssociation: boolean;
  };
}

/**
 * Validates written values as HubSpot does: unknown properties, read-only properties and bad values all fail
 * the whole request with one VALIDATION_ERROR listing every problem.
 */
export function validateProperties(
  portal: Portal,
  type: ObjectTypeInfo,
  input: Record<string, string | null>,
  mode: 'create' | 'update' = 'update',
): Record<string, string | null> {
  const errors: PropertyValueError[] = [];
  // HubSpot's engagement APIs document hs_timestamp as required on create.
  if (mode === 'create' && type.isEngagement && !input.hs_timestamp) {
    const message = 'hs_timestamp is required';
    errors.push({ isValid: false, message, error: 'REQUIRED_PROPERTY', name: 'hs_timestamp', localizedErrorMessage: message });
  }
  const out: Record<string, string | null> = {};
  for (const [name, raw] of Object.entries(input)) {
    const def = portal.schema.property(type.name, name);
    if (!def || def.archived) {
      const message = `Property "${name}" does not exist`;
      errors.push({ isValid: false, message, error: 'PROPERTY_DOESNT_EXIST', name, localizedErrorMessage: message });
      continue;
    }
    if (def.modificationMetadata.readOnlyValue) {
      const message = `${name} is a read only property; its value cannot be set.`;
      errors.push({ isValid: false, message, error: 'READ_ONLY_VALUE', name, localizedErrorMessage: message });
      continue;
    }
    const normalized = normalizeValue(def, raw);
    if (normalized.ok) out[name] = normalized.value;
    else errors.push(normalized.error);
  }
  if (type.name === 'deals') checkStageInPipeline(portal, out, errors);
  if (errors.length > 0) {
    throw validationError(`Property values were not valid: ${JSON.stringify(errors)}`);
  }
  return out;
}

function checkStageInPipeline(portal: Portal, props: Record<string, string | null>, errors: PropertyValueError[]): void {
  const stage = props.dealstage;
  if (!stage) return;
  const pipelineId = props.pipeline ?? portal.pipelines[0]?.id;
  const pipeline = portal.pipelines.find((p) => p.id === pipelineId);
  if (pipeline && !pipeline.stages.some((s) => s.id === stage)) {
    const message = `${stage} is not a valid deal stage for pipeline ${pipeline.id}`;
    errors.push({ isValid: false, message, error: 'INVALID_OPTION', name: 'dealstage', localizedErrorMessage: message });
  }
}

/** HubSpot's calculated deal properties, derived from the stage's metadata. */
function deriveDealProperties(portal: Portal, record: StoredRecord): void {
  const stageId = record.properties.dealstage;
  const stage = portal.pipelines.flatMap((p) => p.stages).find((s) => s.id === stageId);
  if (!stage) return;
  const probability = Number(stage.metadata.probability);
  record.properties.hs_deal_stage_probability = String(probability);
  record.properties.hs_is_closed = stage.metadata.isClosed;
  record.properties.hs_is_closed_won = String(stage.metadata.isClosed === 'true' && probability >= 1);
}

function setValue(record: StoredRecord, name: string, value: string | null, at: string, source: WriteSource): boolean {
  const before = record.properties[name];
  if ((before ?? null) === value) return false;
  record.history ??= {};
  const history = record.history[name] ?? historyOf(record, name).slice();
  const user = /^userId:(\d+)$/.exec(source.sourceId ?? '');
  history.push({
    value: value ?? '',
    timestamp: at,
    sourceType: source.sourceType,
    ...(source.sourceId ? { sourceId: source.sourceId } : {}),
    ...(user ? { updatedByUserId: Number(user[1]) } : {}),
  });
  record.history[name] = history;
  record.properties[name] = value;
  return true;
}

/**
 * HubSpot keeps contact emails unique (case-insensitively): a create or update that would duplicate one is a
 * 409 CONFLICT naming the existing contact. `pending` holds emails claimed earlier in the same batch.
 */
export function checkUniqueEmail(
  portal: Portal,
  type: ObjectTypeInfo,
  props: Record<string, string | null>,
  selfId?: number,
  pending?: Map<string, number>,
): void {
  if (type.name !== 'contacts') return;
  const email = props.email?.trim().toLowerCase();
  if (!email) return;
  const existing = portal.contactIdByEmail(email) ?? pending?.get(email);
  if (existing !== undefined && existing !== selfId) {
    throw new HubSpotApiError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing}`);
  }
  pending?.set(email, selfId ?? -1);
}

/** Creates a record from already-validated properties. */
export function createRecord(
  portal: Portal,
  type: ObjectTypeInfo,
  props: Record<string, string | null>,
  source: WriteSource,
): { record: StoredRecord; changes: RecordChange[] } {
  const now = portal.clock();
  const at = new Date(now).toISOString();
  const id = portal.allocateId();
  const createdAt = props[type.createdProperty] ?? at;
  const properties: Record<string, string | null> = { ...props };
  properties[type.createdProperty] = createdAt;
  properties[type.modifiedProperty] = at;
  properties.hs_object_id = String(id);
  if (type.name === 'deals' && !properties.pipeline && portal.pipelines[0]) properties.pipeline = portal.pipelines[0].id;
  const record: StoredRecord = { id, properties, createdAt, updatedAt: at, archived: false, createdBy: source };
  if (type.name === 'deals') deriveDealProperties(portal, record);
  portal.objects[type.name].put(record);
  if (type.name === 'contacts') portal.indexEmail(record);
  return { record, changes: [{ type, objectId: id, kind: 'creation', occurredAt: now, source }] };
}

/** Applies validated values; unchanged values are no-ops (no history entry, no modified-date bump, no event). */
export function updateRecord(
  portal: Portal,
  type: ObjectTypeInfo,
  record: StoredRecord,
  props: Record<string, string | null>,
  source: WriteSource,
): RecordChange[] {
  const now = portal.clock();
  const at = new Date(now).toISOString();
  const changes: RecordChange[] = [];
  for (const [name, value] of Object.entries(props)) {
    const before = record.properties[name];
    if (setValue(record, name, value, at, source)) {
      if (type.name === 'contacts' && name === 'email') portal.reindexEmail(before ?? null, record);
      changes.push({
        type,
        objectId: record.id,
        kind: 'propertyChange',
        propertyName: name,
        propertyValue: value ?? '',
        occurredAt: now,
        source,
      });
    }
  }
  if (changes.length > 0) {
    record.properties[type.modifiedProperty] = at;
    record.updatedAt = at;
    if (type.name === 'deals') deriveDealProperties(portal, record);
  }
  return changes;
}

/** Archives a record (HubSpot's "delete"): it leaves lists and searches, frees its email, and fires deletion events. */
export function archiveRecord(portal: Portal, type: ObjectTypeInfo, record: StoredRecord, source: WriteSource): RecordChange[] {
  const now = portal.clock();
  record.archived = true;
  record.archivedAt = new Date(now).toISOString();
  return [{ type, objectId: record.id, kind: 'deletion', occurredAt: now, source }];
}

export { deriveDealProperties };
