import { validationError } from '../errors.ts';
import type { ObjectTypeInfo } from '../object-types.ts';
import type { Portal } from '../portal.ts';
import type { StoredRecord } from '../store/object-store.ts';
import type { PropertyDefinition } from '../store/schema-store.ts';

export const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Filter {
  propertyName: string;
  operator: Operator;
  value?: string | undefined;
  highValue?: string | undefined;
  values?: string[] | undefined;
}

/** A filter compiled against the property's type: a predicate over one record. */
export type Predicate = (record: StoredRecord) => boolean;

function invalidFilter(message: string): never {
  // HubSpot's deserialiser wording for malformed filters.
  throw validationError(`Invalid input JSON on line 1, column 1: Cannot construct instance of \`Filter\`, problem: ${message}`);
}

/** Turns a stored or filter value into something comparable for the property's type. */
function comparable(def: PropertyDefinition, raw: string): number | string {
  if (def.type === 'number') return Number(raw);
  if (def.type === 'datetime' || def.type === 'date') {
    const ms = /^-?\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
    return Number.isNaN(ms) ? raw : ms;
  }
  // HubSpot compares string and enumeration values case-insensitively.
  return raw.toLowerCase();
}

function cmp(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function tokens(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^a-z0-9@._*-]+/)
    .filter(Boolean);
}

function tokenMatch(value: string, token: string): boolean {
  const t = token.toLowerCase();
  if (t.startsWith('*')) return tokens(value).some((v) => v.endsWith(t.slice(1)) || value.toLowerCase().endsWith(t.slice(1)));
  if (t.endsWith('*')) return tokens(value).some((v) => v.startsWith(t.slice(0, -1)));
  return tokens(value).includes(t) || value.toLowerCase() === t;
}

export function compileFilter(portal: Portal, type: ObjectTypeInfo, filter: Filter): Predicate {
  const def = portal.schema.property(type.name, filter.propertyName);
  if (!def) throw validationError(`There was a problem with the request: property ${filter.propertyName} does not exist on ${type.name}`);
  const name = filter.propertyName;
  const get = (r: StoredRecord): string | null => {
    const v = r.properties[name];
    return v === undefined || v === '' ? null : v;
  };
  const need = (what: 'value' | 'highValue' | 'values') => {
    if (filter[what] === undefined) invalidFilter(`operator ${filter.operator} requires a ${what}`);
  };
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return (r) => get(r) !== null;
    case 'NOT_HAS_PROPERTY':
      return (r) => get(r) === null;
    case 'EQ':
    case 'NEQ': {
      need('value');
      const target = comparable(def, String(filter.value));
      const eq = (r: StoredRecord) => {
        const v = get(r);
        return v !== null && cmp(comparable(def, v), target) === 0;
      };
      return filter.operator === 'EQ' ? eq : (r) => !eq(r);
    }
    case 'LT':
    case 'LTE':
    case 'GT':
    case 'GTE': {
      need('value');
      const target = comparable(def, String(filter.value));
      const op = filter.operator;
      return (r) => {
        const v = get(r);
        if (v === null) return false;
        const c = cmp(comparable(def, v), target);
        return op === 'LT' ? c < 0 : op === 'LTE' ? c <= 0 : op === 'GT' ? c > 0 : c >= 0;
      };
    }
    case 'BETWEEN': {
      need('value');
      need('highValue');
      const lo = comparable(def, String(filter.value));
      const hi = comparable(def, String(filter.highValue));
      return (r) => {
        const v = get(r);
        if (v === null) return false;
        const c = comparable(def, v);
        return cmp(c, lo) >= 0 && cmp(c, hi) <= 0;
      };
    }
    case 'IN':
    case 'NOT_IN': {
      need('values');
      const set = new Set((filter.values ?? []).map((v) => String(comparable(def, v))));
      const isIn = (r: StoredRecord) => {
        const v = get(r);
        if (v === null) return false;
        const parts = def.fieldType === 'checkbox' ? v.split(';') : [v];
        return parts.some((p) => set.has(String(comparable(def, p))));
      };
      return filter.operator === 'IN' ? isIn : (r) => !isIn(r);
    }
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      need('value');
      const token = String(filter.value);
      const has = (r: StoredRecord) => {
        const v = get(r);
        return v !== null && tokenMatch(v, token);
      };
      return filter.operator === 'CONTAINS_TOKEN' ? has : (r) => !has(r);
    }
  }
}

/**
 * Orders records by one property (unset values last, ties by id). Records arrive in id order, so sorting by
 * hs_object_id is free; other keys are parsed once per record rather than once per comparison, which keeps
 * paging a 100k portal by a modified-date sort cheap.
 */
export function sortRecords(
  portal: Portal,
  type: ObjectTypeInfo,
  records: StoredRecord[],
  propertyName: string,
  descending: boolean,
): StoredRecord[] {
  const def = portal.schema.property(type.name, propertyName);
  if (!def) throw validationError(`There was a problem with the request: cannot sort by unknown property ${propertyName}`);
  if (propertyName === 'hs_object_id') return descending ? records.slice().reverse() : records;
  const keyed = records.map((r) => {
    const v = r.properties[propertyName];
    return { r, k: v == null || v === '' ? null : comparable(def, v) };
  });
  keyed.sort((a, b) => {
    if (a.k === null) return b.k === null ? a.r.id - b.r.id : 1;
    if (b.k === null) return -1;
    const c = cmp(a.k, b.k);
    if (c !== 0) return descending ? -c : c;
    return a.r.id - b.r.id;
  });
  return keyed.map((x) => x.r);
}
