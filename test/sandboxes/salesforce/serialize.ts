import type { Org, SRecord, SValue } from './org.ts';
import type { ObjectDef } from './schema.ts';
import { type QueryPlan, type ResolvedField, relatedRecord, valueAt } from './soql/evaluate.ts';

/** Query rows as the REST API returns them: `attributes`, then the selected fields, relationships nested. */
export function toJsonRecord(org: Org, plan: QueryPlan, record: SRecord, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributes(plan.object, record, version) };
  for (const field of plan.fields) setPath(org, out, record, field, 0, version);
  return out;
}

function attributes(object: ObjectDef, record: SRecord, version: string): { type: string; url: string } {
  return { type: object.name, url: `/services/data/v${version}/sobjects/${object.name}/${String(record.Id)}` };
}

function setPath(org: Org, out: Record<string, unknown>, record: SRecord, field: ResolvedField, depth: number, version: string): void {
  if (depth === field.hops.length) {
    out[field.field.name] = record[field.field.name] ?? null;
    return;
  }
  const hop = field.hops[depth];
  if (!hop) return;
  const related = relatedRecord(org, record, hop.field);
  if (!related) {
    out[hop.relationshipName] = null;
    return;
  }
  const existing = out[hop.relationshipName];
  const nested =
    existing && typeof existing === 'object'
      ? (existing as Record<string, unknown>)
      : { attributes: attributes(related.object, related.record, version) };
  out[hop.relationshipName] = nested;
  setPath(org, nested, related.record, field, depth + 1, version);
}

function csvCell(value: SValue): string {
  if (value === null || value === undefined) return '';
  return `"${String(value).replace(/"/g, '""')}"`;
}

/** Bulk API 2.0 CSV: a header of the fields as written in the query, every value quoted, nulls empty. */
export function toCsv(org: Org, plan: QueryPlan, rows: SRecord[]): string {
  const header = plan.fields.map((f) => `"${f.written}"`).join(',');
  const lines = rows.map((row) => plan.fields.map((f) => csvCell(valueAt(org, row, f))).join(','));
  return `${[header, ...lines].join('\n')}\n`;
}
