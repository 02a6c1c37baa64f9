/**
 * REST rows carry typed JSON values; Bulk 2.0 rows are CSV strings with '' for null. These readers accept
 * both so one mapping serves both paths.
 */
export function text(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return String(value);
}

export function bool(value: unknown): boolean {
  return value === true || value === 'true';
}

/** Salesforce datetimes end in +0000; dates are YYYY-MM-DD. */
export function date(value: unknown): Date | null {
  const raw = text(value);
  if (!raw) return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(ms) ? new Date(ms) : null;
}

export function iso(value: unknown): string | null {
  return date(value)?.toISOString() ?? null;
}

/** A JSON object (a row, a nested relationship) as jsforce hands it over. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A relationship value from REST (`{ Name }`) or Bulk (`Account.Name` column). */
export function related(row: Record<string, unknown>, relationship: string, field: string): unknown {
  const nested = row[relationship];
  if (isRecord(nested)) return nested[field];
  return row[`${relationship}.${field}`];
}
