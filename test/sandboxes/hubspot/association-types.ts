import type { ObjectTypeName } from './object-types.ts';

/**
 * HubSpot-defined association type ids (the SDK's AssociationTypes enum), both directions.
 * Key: `${from}->${to}` with plural object type names.
 */
const DEFAULT_TYPE_IDS: Record<string, number> = {
  'contacts->companies': 279,
  'companies->contacts': 280,
  'deals->contacts': 3,
  'contacts->deals': 4,
  'deals->companies': 341,
  'companies->deals': 342,
  'companies->calls': 181,
  'calls->companies': 182,
  'companies->emails': 185,
  'emails->companies': 186,
  'companies->meetings': 187,
  'meetings->companies': 188,
  'companies->notes': 189,
  'notes->companies': 190,
  'companies->tasks': 191,
  'tasks->companies': 192,
  'contacts->calls': 193,
  'calls->contacts': 194,
  'contacts->emails': 197,
  'emails->contacts': 198,
  'contacts->meetings': 199,
  'meetings->contacts': 200,
  'contacts->notes': 201,
  'notes->contacts': 202,
  'contacts->tasks': 203,
  'tasks->contacts': 204,
  'deals->calls': 205,
  'calls->deals': 206,
  'deals->emails': 209,
  'emails->deals': 210,
  'deals->meetings': 211,
  'meetings->deals': 212,
  'deals->notes': 213,
  'notes->deals': 214,
  'deals->tasks': 215,
  'tasks->deals': 216,
};

/** Primary (labelled "Primary") type ids, where HubSpot has one. */
const PRIMARY_TYPE_IDS: Record<string, number> = {
  'contacts->companies': 1,
  'companies->contacts': 2,
  'deals->companies': 5,
  'companies->deals': 6,
};

/** `${from}->${to}` tables as nested maps: loading a large portal looks these up millions of times. */
function nest(table: Record<string, number>): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [key, id] of Object.entries(table)) {
    const [from = '', to = ''] = key.split('->');
    const inner = out.get(from) ?? new Map<string, number>();
    inner.set(to, id);
    out.set(from, inner);
  }
  return out;
}
const DEFAULTS = nest(DEFAULT_TYPE_IDS);
const PRIMARIES = nest(PRIMARY_TYPE_IDS);

export function defaultTypeId(from: ObjectTypeName, to: ObjectTypeName): number | undefined {
  return DEFAULTS.get(from)?.get(to);
}

export function primaryTypeId(from: ObjectTypeName, to: ObjectTypeName): number | undefined {
  return PRIMARIES.get(from)?.get(to);
}

/** The target object type a HubSpot-defined type id leads to from `from`, if any. */
export function targetOfTypeId(from: ObjectTypeName, typeId: number): { to: ObjectTypeName; primary: boolean } | undefined {
  for (const [key, id] of Object.entries(DEFAULT_TYPE_IDS)) {
    const [f, t] = key.split('->') as [ObjectTypeName, ObjectTypeName];
    if (f === from && id === typeId) return { to: t, primary: false };
  }
  for (const [key, id] of Object.entries(PRIMARY_TYPE_IDS)) {
    const [f, t] = key.split('->') as [ObjectTypeName, ObjectTypeName];
    if (f === from && id === typeId) return { to: t, primary: true };
  }
  return undefined;
}
