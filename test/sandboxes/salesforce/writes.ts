import { SalesforceApiError } from './errors.ts';
import { recordChanges } from './field-history.ts';
import { type Org, type SRecord, type SValue, sfDateTime } from './org.ts';
import type { FieldDef, ObjectDef } from './schema.ts';

/**
 * sObject Collections update (`PATCH /composite/sobjects`): at most 200 records, validated one by one the
 * way Salesforce validates fields, each answered in request order with `{ id, success, errors }`.
 * With allOrNone, one failure rolls every record back.
 */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}
export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: RecordError[];
}

/** Failures the test asks for, like a validation rule that rejects certain records. */
export interface InjectedFailure {
  remaining: number;
  statusCode: string;
  message: string;
}

export const MAX_COLLECTION_SIZE = 200;

function coerce(field: FieldDef, value: unknown): { ok: true; value: SValue } | { ok: false; error: RecordError } {
  const bad = (statusCode: string, message: string) => ({ ok: false as const, error: { statusCode, message, fields: [field.name] } });
  if (value === null) return { ok: true, value: null };
  switch (field.type) {
    case 'percent':
    case 'double':
    case 'currency':
    case 'int': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(n))
        return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${String(value)}`);
      if (field.precision !== undefined) {
        const scale = field.scale ?? 0;
        if (Math.abs(n) >= 10 ** (field.precision - scale))
          return bad('NUMBER_OUTSIDE_VALID_RANGE', `${field.label}: value outside of valid range on numeric field: ${n}`);
        return { ok: true, value: Math.round(n * 10 ** scale) / 10 ** scale };
      }
      return { ok: true, value: field.type === 'int' ? Math.trunc(n) : n };
    }
    case 'boolean':
      if (typeof value !== 'boolean')
        return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${String(value)}`);
      return { ok: true, value };
    case 'datetime': {
      const ms = typeof value === 'string' ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN;
      if (Number.isNaN(ms)) return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${String(value)}`);
      return { ok: true, value: sfDateTime(ms) };
    }
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))
        return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${String(value)}`);
      return { ok: true, value };
    default: {
      if (typeof value !== 'string')
        return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${String(value)}`);
      if (field.type === 'picklist' && field.restrictedPicklist && !(field.picklistValues ?? []).includes(value)) {
        return bad('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: ${value}`);
      }
      const max = field.length ?? 255;
      if (value.length > max)
        return bad('STRING_TOO_LONG', `${field.label}: data value too large: ${value.slice(0, 40)}... (max length=${max})`);
      return { ok: true, value };
    }
  }
}

function validate(
  org: Org,
  input: unknown,
  failures: Map<string, InjectedFailure>,
): { id: string | null; error?: RecordError; target?: SRecord; objectName?: string; changes?: SRecord } {
  if (!input || typeof input !== 'object')
    return { id: null, error: { statusCode: 'INVALID_INPUT', message: 'record must be an object', fields: [] } };
  const record = input as Record<string, unknown>;
  const id = typeof record.id === 'string' ? record.id : typeof record.Id === 'string' ? record.Id : null;
  const attrs = record.attributes as { type?: unknown } | undefined;
  const type = typeof attrs?.type === 'string' ? attrs.type : null;
  if (!type) return { id, error: { statusCode: 'INVALID_TYPE', message: 'Must send a concrete entity type.', fields: [] } };
  if (!id) return { id, error: { statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] } };
  const found = org.get(id);
  const def: ObjectDef | undefined = org.object(type);
  if (!found || !def || found.object.name !== def.name || found.record.IsDeleted === true) {
    return { id, error: { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] } };
  }
  if (def.name === 'Lead' && found.record.IsConverted === true) {
    return { id, error: { statusCode: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead', fields: [] } };
  }
  const changes: SRecord = {};
  for (const [name, value] of Object.entries(record)) {
    if (name === 'attributes' || name === 'id' || name === 'Id') continue;
    const field = org.field(def, name);
    if (!field)
      return {
        id,
        error: { statusCode: 'INVALID_FIELD', message: `No such column '${name}' on sobject of type ${def.name}`, fields: [name] },
      };
    if (!field.updateable)
      return {
        id,
        error: {
          statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
          message: `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          fields: [field.name],
        },
      };
    const coerced = coerce(field, value);
    if (!coerced.ok) return { id, error: coerced.error };
    changes[field.name] = coerced.value;
  }
  const injected = failures.get(String(found.record.Id));
  if (injected && injected.remaining > 0) {
    injected.remaining -= 1;
    return { id, error: { statusCode: injected.statusCode, message: injected.message, fields: [] } };
  }
  return { id: String(found.record.Id), target: found.record, objectName: found.object.name, changes };
}

export function updateCollection(org: Org, body: unknown, failures: Map<string, InjectedFailure>): SaveResult[] {
  const parsed = body as { allOrNone?: unknown; records?: unknown };
  if (!parsed || !Array.isArray(parsed.records)) throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'records must be an array');
  if (parsed.records.length > MAX_COLLECTION_SIZE)
    throw new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
  const allOrNone = parsed.allOrNone === true;
  const checked = parsed.records.map((record) => validate(org, record, failures));
  const anyFailed = checked.some((c) => c.error);
  if (allOrNone && anyFailed) {
    return checked.map((c) => ({
      id: c.id,
      success: false,
      errors: [
        c.error ?? {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    }));
  }
  return checked.map((c) => {
    if (c.error || !c.target || !c.changes) return { id: c.id, success: false, errors: c.error ? [c.error] : [] };
    if (c.objectName) recordChanges(org, c.objectName, c.target, c.changes);
    Object.assign(c.target, c.changes);
    org.touch(c.target);
    return { id: c.id, success: true, errors: [] };
  });
}
