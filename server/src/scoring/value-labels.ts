import type { ObjectType } from '../store/schema.ts';

/**
 * The CRM's display labels of enumeration values, as synced with the field definitions: a reason says
 * "Computer Software" where the record holds COMPUTER_SOFTWARE. Fields are the canonical keys records carry
 * (`industry`, `lifecycle`, `pipeline`, `custom:<name>`).
 */
export interface ValueLabels {
  /** The label of `value`, or the value itself when the CRM defines none. */
  label(objectType: ObjectType, field: string, value: string): string;
}

const OBJECT_TYPES: readonly ObjectType[] = ['deal', 'contact', 'company'];

export function valueLabelsFrom(
  rows: readonly { object_type: ObjectType; field: string; options: { value: string; label: string }[] }[],
): ValueLabels {
  const byField = new Map<string, Map<string, string>>();
  for (const row of rows) {
    byField.set(`${row.object_type}:${row.field}`, new Map(row.options.map((o) => [o.value, o.label])));
  }
  return {
    label(objectType, field, value) {
      const own = byField.get(`${objectType}:${field}`)?.get(value);
      if (own !== undefined) return own;
      // A deal's reasons may rest on its contacts' custom fields (the first contact's choice).
      if (field.startsWith('custom:')) {
        for (const other of OBJECT_TYPES) {
          const found = byField.get(`${other}:${field}`)?.get(value);
          if (found !== undefined) return found;
        }
      }
      return value;
    },
  };
}

export const NO_VALUE_LABELS: ValueLabels = { label: (_type, _field, value) => value };

/**
 * A value a rep cannot read: a hash or token (16+ hex characters; 15+ letters and digits mixed, like a Salesforce id), a long numeric id, a URL.
 * Reasons name the field and what it does to the score instead of printing it.
 */
export function isIdentifierLike(value: string): boolean {
  const v = value.trim();
  return (
    /^[0-9a-f]{16,}$/i.test(v) ||
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ||
    /^\d{6,}$/.test(v) ||
    (/^[A-Za-z0-9_-]{15,}$/.test(v) && /\d/.test(v) && /[A-Za-z]/.test(v)) ||
    /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ||
    /^www\./i.test(v)
  );
}
