import { type SalesforceApiError, soqlError } from '../errors.ts';
import { normalizeId } from '../ids.ts';
import { type Org, parseSfDateTime, type SRecord, type SValue } from '../org.ts';
import type { FieldDef, ObjectDef } from '../schema.ts';
import type { Condition, FieldRef, Literal, SoqlQuery } from './ast.ts';

/** A SELECT path resolved against the schema: the relationship hops, then the field. */
export interface ResolvedField {
  written: string;
  hops: { relationshipName: string; field: FieldDef }[];
  field: FieldDef;
  /** The object the last field is on (first target for polymorphic hops). */
  objectName: string;
}

export interface QueryPlan {
  query: SoqlQuery;
  object: ObjectDef;
  fields: ResolvedField[];
  matches(record: SRecord): boolean;
  compare(a: SRecord, b: SRecord): number;
}

const DAY_MS = 86_400_000;

function resolve(org: Org, object: ObjectDef, ref: FieldRef, soql: string): ResolvedField {
  let current = object;
  const hops: ResolvedField['hops'] = [];
  for (const name of ref.path.slice(0, -1)) {
    const lower = name.toLowerCase();
    const hop = [...current.fields.values()].find((f) => f.relationshipName?.toLowerCase() === lower);
    const target = hop?.referenceTo?.[0] ? org.object(hop.referenceTo[0]) : undefined;
    if (!hop || !target) {
      throw soqlError(
        'INVALID_FIELD',
        soql,
        ref.position,
        `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    hops.push({ relationshipName: hop.relationshipName ?? name, field: hop });
    current = target;
  }
  const last = ref.path[ref.path.length - 1] ?? '';
  // Polymorphic hops (Who, What) resolve the field on any of their targets.
  const candidates =
    hops.length > 0
      ? (hops[hops.length - 1]?.field.referenceTo ?? []).map((n) => org.object(n)).filter((d): d is ObjectDef => !!d)
      : [current];
  for (const candidate of candidates) {
    const field = org.field(candidate, last);
    if (field) return { written: ref.path.join('.'), hops, field, objectName: candidate.name };
  }
  throw soqlError(
    'INVALID_FIELD',
    soql,
    ref.position,
    `No such column '${last}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

/** The value at a resolved path, following references through the org. */
export function valueAt(org: Org, record: SRecord, field: ResolvedField): SValue {
  let current: SRecord | undefined = record;
  for (const hop of field.hops) {
    const id: SValue | undefined = current?.[hop.field.name];
    current = typeof id === 'string' ? org.get(id)?.record : undefined;
    if (!current) return null;
  }
  return current[field.field.name] ?? null;
}

/** The related record a relationship hop points at (for nested JSON output). */
export function relatedRecord(org: Org, record: SRecord, hopField: FieldDef): { object: ObjectDef; record: SRecord } | undefined {
  const id = record[hopField.name];
  return typeof id === 'string' ? org.get(id) : undefined;
}

type Comparable = number | string | boolean | null;

function isDateTimeField(field: FieldDef): boolean {
  return field.type === 'datetime';
}

function typeError(soql: string, literal: Literal, field: FieldDef, expected: string): SalesforceApiError {
  const quoted = literal.kind === 'string' ? ' and should not be enclosed in quotes' : '';
  return soqlError(
    'INVALID_FIELD',
    soql,
    literal.position,
    `value of filter criterion for field '${field.name}' must be of type ${expected}${quoted}`,
  );
}

/** The literal as a comparable in the field's domain, or a range for day-granular literals on datetimes. */
function literalValue(org: Org, soql: string, field: FieldDef, literal: Literal): Comparable | { from: number; to: number } {
  const today = Math.floor(org.now() / DAY_MS) * DAY_MS;
  switch (field.type) {
    case 'date':
    case 'datetime': {
      if (literal.kind === 'null') return null;
      if (literal.kind === 'relativeDate') {
        const range =
          literal.name === 'TODAY'
            ? { from: today, to: today + DAY_MS }
            : literal.name === 'YESTERDAY'
              ? { from: today - DAY_MS, to: today }
              : literal.name === 'TOMORROW'
                ? { from: today + DAY_MS, to: today + 2 * DAY_MS }
                : literal.name === 'LAST_N_DAYS'
                  ? { from: today - literal.n * DAY_MS, to: today + DAY_MS }
                  : { from: today + DAY_MS, to: today + (literal.n + 1) * DAY_MS };
        return range;
      }
      if (isDateTimeField(field)) {
        if (literal.kind !== 'datetime') throw typeError(soql, literal, field, 'dateTime');
        return literal.value;
      }
      if (literal.kind !== 'date') throw typeError(soql, literal, field, 'date');
      return Date.parse(`${literal.value}T00:00:00Z`);
    }
    case 'boolean':
      if (literal.kind === 'null') return null;
      if (literal.kind !== 'boolean') throw typeError(soql, literal, field, 'boolean');
      return literal.value;
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      if (literal.kind === 'null') return null;
      if (literal.kind !== 'number') throw typeError(soql, literal, field, 'number');
      return literal.value;
    default:
      if (literal.kind === 'null') return null;
      if (literal.kind !== 'string') throw typeError(soql, literal, field, 'string');
      return field.type === 'id' || field.type === 'reference' ? literal.value : literal.value.toLowerCase();
  }
}

function recordValue(field: FieldDef, value: SValue): Comparable {
  if (value === null || value === undefined) return null;
  if (field.type === 'datetime' && typeof value === 'string') return parseSfDateTime(value);
  if (field.type === 'date' && typeof value === 'string') return Date.parse(`${value}T00:00:00Z`);
  if ((field.type === 'id' || field.type === 'reference') && typeof value === 'string') return normalizeId(value);
  if (typeof value === 'string') return value.toLowerCase();
  return value;
}

function likeMatcher(pattern: string): RegExp {
  const escaped = pattern
    .toLowerCase()
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 's');
}

function compileCondition(org: Org, object: ObjectDef, soql: string, condition: Condition): (record: SRecord) => boolean {
  switch (condition.kind) {
    case 'and': {
      const l = compileCondition(org, object, soql, condition.left);
      const r = compileCondition(org, object, soql, condition.right);
      return (rec) => l(rec) && r(rec);
    }
    case 'or': {
      const l = compileCondition(org, object, soql, condition.left);
      const r = compileCondition(org, object, soql, condition.right);
      return (rec) => l(rec) || r(rec);
    }
    case 'not': {
      const inner = compileCondition(org, object, soql, condition.inner);
      return (rec) => !inner(rec);
    }
    case 'in': {
      const field = resolve(org, object, condition.field, soql);
      const values = condition.values.map((v) => {
        const value = literalValue(org, soql, field.field, v);
        if (value !== null && typeof value === 'object')
          throw soqlError('MALFORMED_QUERY', soql, v.position, 'date literals are not supported in IN');
        return typeof value === 'string' && (field.field.type === 'id' || field.field.type === 'reference') ? normalizeId(value) : value;
      });
      const set = new Set(values);
      return (rec) => {
        const value = recordValue(field.field, valueAt(org, rec, field));
        return condition.negated ? !set.has(value) : set.has(value);
      };
    }
    case 'compare': {
      const field = resolve(org, object, condition.field, soql);
      const literal = literalValue(org, soql, field.field, condition.value);
      const op = condition.op;
      if (op === 'LIKE') {
        if (typeof literal !== 'string')
          throw soqlError('INVALID_FIELD', soql, condition.value.position, `invalid operator on field '${field.field.name}'`);
        const re = likeMatcher(literal);
        return (rec) => {
          const value = valueAt(org, rec, field);
          return typeof value === 'string' && re.test(value.toLowerCase());
        };
      }
      if (literal !== null && typeof literal === 'object') {
        // Day-granular literal: = means within the day range, < before it starts, > after it ends.
        const { from, to } = literal;
        return (rec) => {
          const value = recordValue(field.field, valueAt(org, rec, field));
          if (typeof value !== 'number') return op === '!=';
          if (op === '=') return value >= from && value < to;
          if (op === '!=') return value < from || value >= to;
          if (op === '<') return value < from;
          if (op === '<=') return value < to;
          if (op === '>') return value >= to;
          return value >= from;
        };
      }
      const target =
        typeof literal === 'string' && (field.field.type === 'id' || field.field.type === 'reference') ? normalizeId(literal) : literal;
      return (rec) => {
        const value = recordValue(field.field, valueAt(org, rec, field));
        if (op === '=') return value === target;
        if (op === '!=') return value !== target;
        // Salesforce never matches null in range comparisons.
        if (value === null || target === null) return false;
        if (op === '<') return value < target;
        if (op === '<=') return value <= target;
        if (op === '>') return value > target;
        return value >= target;
      };
    }
  }
}

/** Validates the query against the schema and compiles its filter and sort. */
export function planQuery(org: Org, query: SoqlQuery): QueryPlan {
  const object = org.object(query.object.name);
  if (!object) {
    throw soqlError(
      'INVALID_TYPE',
      query.soql,
      query.object.position,
      `sObject type '${query.object.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const fields = query.select.kind === 'fields' ? query.select.fields.map((ref) => resolve(org, object, ref, query.soql)) : [];
  const seen = new Set<string>();
  for (const [i, field] of fields.entries()) {
    const key = field.written.toLowerCase();
    if (seen.has(key))
      throw soqlError(
        'MALFORMED_QUERY',
        query.soql,
        query.select.kind === 'fields' ? (query.select.fields[i]?.position ?? 0) : 0,
        `duplicate field selected: ${field.written}`,
      );
    seen.add(key);
  }
  const matches = query.where ? compileCondition(org, object, query.soql, query.where) : () => true;
  const order = query.orderBy.map((o) => ({ ...o, resolved: resolve(org, object, o.field, query.soql) }));
  const compare = (a: SRecord, b: SRecord): number => {
    for (const o of order) {
      const va = recordValue(o.resolved.field, valueAt(org, a, o.resolved));
      const vb = recordValue(o.resolved.field, valueAt(org, b, o.resolved));
      if (va === vb) continue;
      if (va === null) return o.nullsLast ? 1 : -1;
      if (vb === null) return o.nullsLast ? -1 : 1;
      const cmp = va < vb ? -1 : 1;
      return o.descending ? -cmp : cmp;
    }
    return 0;
  };
  return { query, object, fields, matches, compare };
}

/** Ids a WHERE clause pins the result to (`Id = x` or `Id IN (...)`, alone or ANDed), if it does. */
function pinnedIds(condition: Condition | undefined): string[] | null {
  if (!condition) return null;
  const isId = (ref: FieldRef) => ref.path.length === 1 && ref.path[0]?.toLowerCase() === 'id';
  if (condition.kind === 'in' && !condition.negated && isId(condition.field)) {
    return condition.values.flatMap((v) => (v.kind === 'string' ? [normalizeId(v.value)] : []));
  }
  if (condition.kind === 'compare' && condition.op === '=' && isId(condition.field) && condition.value.kind === 'string')
    return [normalizeId(condition.value.value)];
  if (condition.kind === 'and') return pinnedIds(condition.left) ?? pinnedIds(condition.right);
  return null;
}

/** Runs a planned query: filter, sort, limit. IsDeleted rows are only visible to queryAll. */
export function runQuery(org: Org, plan: QueryPlan, options: { includeDeleted: boolean }): SRecord[] {
  // Like Salesforce's own index on Id: a query pinned to ids reads those records instead of scanning.
  const ids = pinnedIds(plan.query.where);
  const candidates = ids
    ? ids.flatMap((id) => (org.records.get(plan.object.name)?.get(id) ? [org.records.get(plan.object.name)?.get(id) as SRecord] : []))
    : org.all(plan.object.name);
  let rows = candidates.filter((r) => (options.includeDeleted || r.IsDeleted !== true) && plan.matches(r));
  if (plan.query.orderBy.length > 0) rows.sort(plan.compare);
  if (plan.query.limit !== undefined) rows = rows.slice(0, plan.query.limit);
  return rows;
}
