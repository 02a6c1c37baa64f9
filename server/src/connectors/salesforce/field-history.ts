import type { NeutralRecord } from '../connector.ts';
import { salesforceErrorCode } from './classify-error.ts';
import type { Row, SalesforceApi } from './salesforce-api.ts';
import { soqlField, soqlIdList } from './soql.ts';
import { date, text } from './values.ts';

/**
 * Field history tracking (Setup → Set History Tracking, up to 20 fields per object). Each object's history
 * object holds one row per change of a tracked field (`Field` = its API name, OldValue, NewValue,
 * CreatedDate) and a 'created' row when the record was created. Which fields are tracked is the history
 * object's `Field` picklist in describe. A field not tracked has no history: the store gets none for it, so
 * the scoring core's history coverage names it 'history unknown' and leaves it out of training.
 */
export type HistoryParent = 'Account' | 'Contact' | 'Lead' | 'Opportunity';

export const HISTORY_OBJECT: Record<HistoryParent, { name: string; parentField: string; relationship: string }> = {
  Account: { name: 'AccountHistory', parentField: 'AccountId', relationship: 'Account' },
  Contact: { name: 'ContactHistory', parentField: 'ContactId', relationship: 'Contact' },
  Lead: { name: 'LeadHistory', parentField: 'LeadId', relationship: 'Lead' },
  Opportunity: { name: 'OpportunityFieldHistory', parentField: 'OpportunityId', relationship: 'Opportunity' },
};

/**
 * Salesforce field → the neutral property it is stored as (custom fields map to `custom:<name>`). Opportunity
 * Amount, StageName and CloseDate are absent: OpportunityHistory gives them in every org, tracked or not.
 */
const STANDARD_PROPERTY: Record<HistoryParent, Record<string, string>> = {
  Account: {
    Industry: 'industry',
    NumberOfEmployees: 'employees',
    AnnualRevenue: 'annual_revenue',
    BillingCountry: 'country',
    OwnerId: 'owner_id',
  },
  Contact: { Title: 'job_title', MailingCountry: 'country', OwnerId: 'owner_id' },
  Lead: { Title: 'job_title', Country: 'country', OwnerId: 'owner_id' },
  Opportunity: { OwnerId: 'owner_id' },
};

/** The property a tracked field is stored as, or null for fields the models do not read. */
export function propertyOfField(parent: HistoryParent, field: string, customFields: readonly string[]): string | null {
  if (customFields.includes(field)) return `custom:${field}`;
  return STANDARD_PROPERTY[parent][field] ?? null;
}

/** Tracked fields of an object from its history object's describe; an org without that object tracks none. */
export async function trackedFieldsOf(api: SalesforceApi, parent: HistoryParent): Promise<Set<string>> {
  try {
    const describe = await api.describe(HISTORY_OBJECT[parent].name);
    const field = describe.fields.find((f: { name: string }) => f.name === 'Field') as { picklistValues?: { value: string }[] } | undefined;
    return new Set((field?.picklistValues ?? []).map((p) => p.value).filter((v) => v !== 'created'));
  } catch (error) {
    if (salesforceErrorCode(error) === 'NOT_FOUND' || salesforceErrorCode(error) === 'INVALID_TYPE') return new Set();
    throw error;
  }
}

/** IN lists of ids stay well under the 100,000-character SOQL limit. */
const ID_CHUNK = 200;

/**
 * The history rows of one delivered batch of records, by parent id. Read per batch rather than for the
 * whole run up front, so a run the daily API budget stops resumes at that batch instead of reading the
 * history again from the start in every window. Each record gets its whole history on every delivery; the
 * store upserts it by time, so nothing repeats.
 */
export async function fetchFieldHistory(api: SalesforceApi, parent: HistoryParent, ids: string[]): Promise<Map<string, Row[]>> {
  const h = HISTORY_OBJECT[parent];
  const fields = [h.parentField, 'Field', 'OldValue', 'NewValue', 'CreatedDate'].map(soqlField).join(', ');
  const out = new Map<string, Row[]>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const page = await api.query(`SELECT ${fields} FROM ${h.name} WHERE ${h.parentField} IN ${soqlIdList(ids.slice(i, i + ID_CHUNK))}`);
    if (!page.complete) throw api.budget.exhausted();
    for (const row of page.records) {
      const id = text(row[h.parentField]);
      if (!id) continue;
      const list = out.get(id);
      if (list) list.push(row);
      else out.set(id, [row]);
    }
  }
  return out;
}

const ID = /^[a-zA-Z0-9]{15,18}$/;

/**
 * A record's tracked-field history as neutral entries: the value at creation (the first change's OldValue,
 * or today's if it never changed) when the 'created' row is there, then each change's NewValue. A record
 * created before tracking was turned on has no 'created' row: only its changes are known.
 */
export function fieldHistoryOf(
  parent: HistoryParent,
  record: NeutralRecord,
  rows: Row[],
  tracked: Set<string>,
  customFields: readonly string[],
): NeutralRecord['history'] {
  const sorted = [...rows].sort((a, b) => (date(a.CreatedDate)?.getTime() ?? 0) - (date(b.CreatedDate)?.getTime() ?? 0));
  const createdRow = sorted.find((r) => text(r.Field) === 'created');
  const createdAt = date(createdRow?.CreatedDate) ?? null;
  const out: NeutralRecord['history'] = [];
  for (const field of tracked) {
    const property = propertyOfField(parent, field, customFields);
    if (!property) continue;
    // Lookup fields get two rows per change, one with names and one with ids: the ids are what we store.
    const changes = sorted.filter(
      (r) => text(r.Field) === field && (field !== 'OwnerId' || [r.OldValue, r.NewValue].every((v) => v == null || ID.test(String(v)))),
    );
    if (createdAt) {
      const initial = changes.length > 0 ? text(changes[0]?.OldValue) : (record.properties[property] ?? null);
      out.push({ property, value: initial, changedAt: createdAt });
    }
    for (const change of changes) {
      const at = date(change.CreatedDate);
      if (at) out.push({ property, value: text(change.NewValue), changedAt: at });
    }
  }
  return out;
}
