import type { Org, SRecord, SValue } from './org.ts';
import { type FieldDef, newField, type ObjectDef } from './schema.ts';

/**
 * Field history tracking as Salesforce keeps it: each tracked object has a history object
 * (AccountHistory, ContactHistory, LeadHistory, OpportunityFieldHistory) with the parent's id, `Field`
 * (the changed field's API name, or 'created' for the row written when the record is created), `OldValue`,
 * `NewValue` and `CreatedDate`. Only tracked fields get rows, at most 20 per object; the history object's
 * `Field` is a restricted picklist whose values are the tracked fields (plus 'created'), which is how an
 * integration learns from describe which fields are tracked.
 */
export const HISTORY_OBJECTS: Record<string, { name: string; parentField: string; relationship: string; keyPrefix: string }> = {
  Account: { name: 'AccountHistory', parentField: 'AccountId', relationship: 'Account', keyPrefix: '017' },
  Contact: { name: 'ContactHistory', parentField: 'ContactId', relationship: 'Contact', keyPrefix: '0Ch' },
  Lead: { name: 'LeadHistory', parentField: 'LeadId', relationship: 'Lead', keyPrefix: '0Lh' },
  Opportunity: { name: 'OpportunityFieldHistory', parentField: 'OpportunityId', relationship: 'Opportunity', keyPrefix: '0Oh' },
};

/** Salesforce's limit of tracked fields per object. */
export const MAX_TRACKED_FIELDS = 20;

/** Adds the history objects to an org's schema (tracking nothing yet). */
export function addHistoryObjects(schema: Map<string, ObjectDef>): void {
  for (const [parent, h] of Object.entries(HISTORY_OBJECTS)) {
    if (!schema.has(parent)) continue;
    const fields = historyObjectFields(parent);
    schema.set(h.name, {
      name: h.name,
      label: `${parent} History`,
      keyPrefix: h.keyPrefix,
      fields: new Map(fields.map((f) => [f.name, f])),
    });
  }
}

export function historyObjectFields(parent: string): FieldDef[] {
  const h = HISTORY_OBJECTS[parent];
  if (!h) return [];
  return [
    newField('Id', 'id', { updateable: false }),
    newField('CreatedDate', 'datetime', { updateable: false }),
    newField('IsDeleted', 'boolean', { updateable: false }),
    newField(h.parentField, 'reference', { referenceTo: [parent], relationshipName: h.relationship, updateable: false }),
    newField('Field', 'picklist', { picklistValues: ['created'], restrictedPicklist: true, updateable: false }),
    newField('OldValue', 'string', { updateable: false }),
    newField('NewValue', 'string', { updateable: false }),
  ];
}

/** The tracked fields of an object (the history object's Field picklist, without 'created'). */
export function trackedFields(org: Org, parent: string): string[] {
  const h = HISTORY_OBJECTS[parent];
  const values = h ? (org.schema.get(h.name)?.fields.get('Field')?.picklistValues ?? []) : [];
  return values.filter((v) => v !== 'created');
}

/** Turns history tracking on for fields of an object (Setup → Set History Tracking). */
export function trackHistory(org: Org, parent: string, fields: string[]): void {
  const h = HISTORY_OBJECTS[parent];
  const def = h ? org.schema.get(parent) : undefined;
  const field = h ? org.schema.get(h.name)?.fields.get('Field') : undefined;
  if (!h || !def || !field) throw new Error(`${parent} has no field history`);
  const next = [...new Set([...trackedFields(org, parent), ...fields])];
  for (const name of fields) if (!def.fields.has(name)) throw new Error(`${parent}.${name} does not exist`);
  if (next.length > MAX_TRACKED_FIELDS)
    throw new Error(`${parent} can track at most ${MAX_TRACKED_FIELDS} fields (asked for ${next.length})`);
  field.picklistValues = ['created', ...next];
}

/** Turns history tracking off for fields of an object; their past rows stay, as in Salesforce. */
export function untrackHistory(org: Org, parent: string, fields: string[]): void {
  const h = HISTORY_OBJECTS[parent];
  const field = h ? org.schema.get(h.name)?.fields.get('Field') : undefined;
  if (!field) throw new Error(`${parent} has no field history`);
  field.picklistValues = ['created', ...trackedFields(org, parent).filter((f) => !fields.includes(f))];
}

/** The 'created' row of a record just inserted, if its object keeps field history. */
export function recordCreated(org: Org, parent: string, record: SRecord): void {
  const h = HISTORY_OBJECTS[parent];
  if (!h || !org.schema.has(h.name)) return;
  org.insert(h.name, { [h.parentField]: record.Id ?? null, Field: 'created', OldValue: null, NewValue: null }, String(record.CreatedDate));
}

/** One row per tracked field whose value changes, stamped `at` (default: now). Untracked fields leave no trace. */
export function recordChanges(org: Org, parent: string, record: SRecord, changes: SRecord, at?: string): void {
  const h = HISTORY_OBJECTS[parent];
  if (!h) return;
  const tracked = new Set(trackedFields(org, parent));
  for (const [name, value] of Object.entries(changes)) {
    const old: SValue = record[name] ?? null;
    if (!tracked.has(name) || old === (value ?? null)) continue;
    org.insert(h.name, { [h.parentField]: record.Id ?? null, Field: name, OldValue: old, NewValue: value ?? null }, at);
  }
}
