import type { PropertyDefinition } from './schema-store.ts';

/** One entry of HubSpot's "Property values were not valid" list. */
export interface PropertyValueError {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
}

export type NormalizedValue = { ok: true; value: string | null } | { ok: false; error: PropertyValueError };

function invalid(name: string, error: string, message: string): NormalizedValue {
  return { ok: false, error: { isValid: false, message, error, name, localizedErrorMessage: message } };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseInstant(raw: string): number | undefined {
  if (/^-?\d+$/.test(raw)) return Number(raw);
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Checks and normalises one written value the way HubSpot stores it: everything becomes a string,
 * numbers are canonical decimals, datetimes become ISO-8601, dates are midnight UTC (YYYY-MM-DD),
 * enumerations must name existing options (checkbox values are `;`-separated). Empty string clears.
 */
export function normalizeValue(def: PropertyDefinition, raw: string | null): NormalizedValue {
  if (raw === null || raw === '') return { ok: true, value: raw === null ? null : '' };
  switch (def.type) {
    case 'string':
      return { ok: true, value: raw };
    case 'number': {
      const num = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(num)) {
        return invalid(def.name, 'INVALID_DECIMAL', `${raw} was not a valid number.`);
      }
      return { ok: true, value: String(num) };
    }
    case 'bool': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') {
        return invalid(def.name, 'INVALID_OPTION', `${raw} was not one of the allowed options: [true, false]`);
      }
      return { ok: true, value: lower };
    }
    case 'enumeration': {
      const allowed = new Set(def.options.map((o) => o.value));
      const parts = def.fieldType === 'checkbox' ? raw.split(';') : [raw];
      const bad = parts.find((p) => !allowed.has(p));
      if (bad !== undefined) {
        return invalid(def.name, 'INVALID_OPTION', `${bad} was not one of the allowed options: [${[...allowed].join(', ')}]`);
      }
      return { ok: true, value: raw };
    }
    case 'date': {
      if (DATE_ONLY.test(raw)) return { ok: true, value: raw };
      const ms = parseInstant(raw);
      if (ms === undefined) return invalid(def.name, 'INVALID_DATE', `${raw} was not a valid date.`);
      if (ms % 86_400_000 !== 0) {
        return invalid(def.name, 'INVALID_DATE', `${raw} is not at midnight UTC; date properties take midnight UTC.`);
      }
      return { ok: true, value: new Date(ms).toISOString().slice(0, 10) };
    }
    case 'datetime': {
      const ms = parseInstant(raw);
      if (ms === undefined) return invalid(def.name, 'INVALID_DATE', `${raw} was not a valid datetime.`);
      return { ok: true, value: new Date(ms).toISOString() };
    }
  }
}
