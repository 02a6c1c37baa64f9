import type { ActivityKind } from '../../store/schema.ts';
import type { CustomFieldInfo, FieldOptions, NeutralActivity, NeutralAssociation, NeutralRecord, NeutralStage } from '../connector.ts';
import { bool, date, iso, text } from './values.ts';

/** Salesforce rows → the connector interface's neutral shapes. */
type Row = Record<string, unknown>;
type History = NeutralRecord['history'];

/** Salesforce has one stage picklist per org (sales processes only filter it): one neutral pipeline. */
export const PIPELINE_ID = 'default';

export const FIELDS = {
  Account: [
    'Id',
    'IsDeleted',
    'Name',
    'Industry',
    'NumberOfEmployees',
    'AnnualRevenue',
    'BillingCountry',
    'OwnerId',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
  Contact: [
    'Id',
    'IsDeleted',
    'FirstName',
    'LastName',
    'Email',
    'Title',
    'MailingCountry',
    'AccountId',
    'OwnerId',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
  Lead: [
    'Id',
    'IsDeleted',
    'FirstName',
    'LastName',
    'Email',
    'Title',
    'Country',
    'Status',
    'IsConverted',
    'ConvertedContactId',
    'OwnerId',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
  Opportunity: [
    'Id',
    'IsDeleted',
    'Name',
    'Amount',
    'StageName',
    'CloseDate',
    'IsClosed',
    'IsWon',
    'AccountId',
    'OwnerId',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
  OpportunityHistory: ['OpportunityId', 'StageName', 'Amount', 'CloseDate', 'CreatedDate'],
  OpportunityContactRole: ['Id', 'OpportunityId', 'ContactId', 'Role', 'IsPrimary', 'SystemModstamp'],
  OpportunityStage: ['ApiName', 'MasterLabel', 'SortOrder', 'DefaultProbability', 'IsClosed', 'IsWon', 'IsActive'],
  Task: [
    'Id',
    'Subject',
    'TaskSubtype',
    'CallType',
    'Status',
    'ActivityDate',
    'CompletedDateTime',
    'WhoId',
    'WhatId',
    'AccountId',
    'OwnerId',
    'CreatedDate',
    'SystemModstamp',
  ],
  Event: ['Id', 'Subject', 'StartDateTime', 'WhoId', 'WhatId', 'AccountId', 'OwnerId', 'CreatedDate', 'SystemModstamp'],
} as const;

export function customProperties(row: Row, customFields: string[]): Record<string, string | null> {
  return Object.fromEntries(customFields.map((name) => [`custom:${name}`, text(row[name])]));
}

function base(row: Row): Pick<NeutralRecord, 'externalId' | 'createdAt' | 'updatedAt' | 'archived'> {
  return {
    externalId: String(row.Id),
    createdAt: date(row.CreatedDate),
    updatedAt: date(row.LastModifiedDate ?? row.SystemModstamp),
    archived: bool(row.IsDeleted),
  };
}

export function mapAccount(row: Row, customFields: string[]): NeutralRecord {
  return {
    ...base(row),
    objectType: 'company',
    properties: {
      name: text(row.Name),
      industry: text(row.Industry),
      employees: text(row.NumberOfEmployees),
      annual_revenue: text(row.AnnualRevenue),
      country: text(row.BillingCountry),
      owner_id: text(row.OwnerId),
      ...customProperties(row, customFields),
    },
    history: [],
  };
}

/** What the org knows about a person beyond the Contact row: the lead they were, and deals they won. */
export interface PersonFacts {
  lead?: { createdAt: Date | null; convertedAt: Date | null };
  wonAt?: Date | null;
}

/**
 * Contacts are people past lead conversion: 'opportunity', or 'customer' once on a won opportunity.
 * A converted lead's creation and conversion dates give the lifecycle history HubSpot keeps natively.
 */
export function mapContact(row: Row, customFields: string[], facts: PersonFacts): NeutralRecord {
  const record = base(row);
  const history: History = [];
  const enteredAt = facts.lead?.createdAt ?? record.createdAt;
  if (facts.lead?.createdAt) history.push({ property: 'lifecycle', value: 'lead', changedAt: facts.lead.createdAt });
  const opportunityAt = facts.lead?.convertedAt ?? record.createdAt;
  if (opportunityAt) history.push({ property: 'lifecycle', value: 'opportunity', changedAt: opportunityAt });
  if (facts.wonAt) history.push({ property: 'lifecycle', value: 'customer', changedAt: facts.wonAt });
  return {
    ...record,
    createdAt: enteredAt,
    objectType: 'contact',
    properties: {
      name: [text(row.FirstName), text(row.LastName)].filter(Boolean).join(' ') || null,
      lifecycle: facts.wonAt ? 'customer' : 'opportunity',
      became_customer_at: facts.wonAt?.toISOString() ?? null,
      job_title: text(row.Title),
      lead_status: facts.lead ? 'Closed - Converted' : null,
      owner_id: text(row.OwnerId),
      country: text(row.MailingCountry),
      ...customProperties(row, customFields),
    },
    history,
  };
}

/**
 * Unconverted leads are people before conversion ('lead', or 'other' once disqualified). A converted lead
 * is archived: the person lives on as its Contact, which carries the lead's dates in its history.
 */
export function mapLead(row: Row, customFields: string[]): NeutralRecord {
  const record = base(row);
  const status = text(row.Status);
  const lifecycle = status === 'Closed - Not Converted' ? 'other' : 'lead';
  return {
    ...record,
    archived: record.archived || bool(row.IsConverted),
    objectType: 'contact',
    properties: {
      name: [text(row.FirstName), text(row.LastName)].filter(Boolean).join(' ') || null,
      lifecycle,
      became_customer_at: null,
      job_title: text(row.Title),
      lead_status: status,
      owner_id: text(row.OwnerId),
      country: text(row.Country),
      ...customProperties(row, customFields),
    },
    history: record.createdAt ? [{ property: 'lifecycle', value: 'lead', changedAt: record.createdAt }] : [],
  };
}

/** OpportunityHistory rows (oldest first) → neutral stage/amount/close_date changes, repeated values dropped. */
export function opportunityHistory(rows: Row[]): History {
  const out: History = [];
  const last: Record<string, string | null> = {};
  const sorted = [...rows].sort((a, b) => (date(a.CreatedDate)?.getTime() ?? 0) - (date(b.CreatedDate)?.getTime() ?? 0));
  for (const row of sorted) {
    const at = date(row.CreatedDate);
    if (!at) continue;
    const values: [string, string | null][] = [
      ['stage', text(row.StageName)],
      ['amount', text(row.Amount)],
      ['close_date', text(row.CloseDate)],
    ];
    for (const [property, value] of values) {
      if (property in last && last[property] === value) continue;
      last[property] = value;
      out.push({ property, value, changedAt: at });
    }
  }
  return out;
}

export function mapOpportunity(row: Row, customFields: string[], historyRows: Row[], closedStages: Set<string>): NeutralRecord {
  const history = opportunityHistory(historyRows);
  const closed = bool(row.IsClosed);
  const closedEntry = [...history].reverse().find((h) => h.property === 'stage' && closedStages.has(h.value ?? ''));
  return {
    ...base(row),
    objectType: 'deal',
    properties: {
      name: text(row.Name),
      amount: text(row.Amount),
      stage: text(row.StageName),
      pipeline: PIPELINE_ID,
      close_date: text(row.CloseDate),
      owner_id: text(row.OwnerId),
      closed_at: closed ? (closedEntry?.changedAt.toISOString() ?? iso(row.CloseDate)) : null,
      ...customProperties(row, customFields),
    },
    history,
  };
}

export function mapStage(row: Row): NeutralStage {
  const probability = text(row.DefaultProbability);
  return {
    pipelineId: PIPELINE_ID,
    stageId: String(row.ApiName),
    label: String(row.MasterLabel ?? row.ApiName),
    displayOrder: Number(row.SortOrder ?? 0),
    probability: probability === null ? null : Number(probability) / 100,
    outcome: bool(row.IsClosed) ? (bool(row.IsWon) ? 'won' : 'lost') : 'open',
  };
}

/** Record types by id prefix, for Who/What ids that can point at several objects. */
export function neutralTypeOfId(id: string | null): 'contact' | 'company' | 'deal' | null {
  if (!id) return null;
  const prefix = id.slice(0, 3);
  if (prefix === '003' || prefix === '00Q') return 'contact';
  if (prefix === '001') return 'company';
  if (prefix === '006') return 'deal';
  return null;
}

function activityLinks(kind: ActivityKind, row: Row): NeutralAssociation[] {
  const out: NeutralAssociation[] = [];
  const seen = new Set<string>();
  for (const id of [text(row.WhoId), text(row.WhatId), text(row.AccountId)]) {
    const type = neutralTypeOfId(id);
    if (!id || !type || seen.has(id)) continue;
    seen.add(id);
    out.push({ fromType: kind, fromId: String(row.Id), toType: type, toId: id });
  }
  return out;
}

const TASK_KINDS: Record<string, ActivityKind> = { Email: 'email', 'List Email': 'email', Call: 'call' };

export function mapTask(row: Row, incoming: Map<string, boolean>): { activity: NeutralActivity; links: NeutralAssociation[] } | null {
  const kind = TASK_KINDS[text(row.TaskSubtype) ?? ''] ?? 'task';
  const occurredAt = date(row.CompletedDateTime) ?? date(row.ActivityDate) ?? date(row.CreatedDate);
  if (!occurredAt) return null;
  const id = String(row.Id);
  const callType = text(row.CallType);
  const direction =
    kind === 'call'
      ? callType === 'Inbound'
        ? 'inbound'
        : callType === 'Outbound'
          ? 'outbound'
          : null
      : kind === 'email' && incoming.has(id)
        ? incoming.get(id)
          ? 'inbound'
          : 'outbound'
        : null;
  return {
    activity: {
      kind,
      externalId: id,
      occurredAt,
      direction,
      properties: { status: text(row.Status), owner_id: text(row.OwnerId), created_at: iso(row.CreatedDate) },
    },
    links: activityLinks(kind, row),
  };
}

export function mapEvent(row: Row): { activity: NeutralActivity; links: NeutralAssociation[] } | null {
  const occurredAt = date(row.StartDateTime) ?? date(row.CreatedDate);
  if (!occurredAt) return null;
  return {
    activity: {
      kind: 'meeting',
      externalId: String(row.Id),
      occurredAt,
      direction: null,
      properties: { status: null, owner_id: text(row.OwnerId), created_at: iso(row.CreatedDate) },
    },
    links: activityLinks('meeting', row),
  };
}

const VALUE_TYPES: Record<string, CustomFieldInfo['valueType']> = {
  double: 'number',
  int: 'number',
  currency: 'number',
  percent: 'number',
  picklist: 'enumeration',
  multipicklist: 'enumeration',
  date: 'date',
  datetime: 'date',
  boolean: 'bool',
};

/** The customer's own custom fields from describe (never Closewise's: those are outputs, not features). */
export function customFieldsOf(
  objectType: CustomFieldInfo['objectType'],
  describe: { fields: { name: string; label: string; type: string; custom: boolean; picklistValues?: { value: string }[] | null }[] },
): CustomFieldInfo[] {
  return describe.fields
    .filter((f) => f.custom && !f.name.startsWith('Closewise_') && /^[A-Za-z][A-Za-z0-9_]*__c$/.test(f.name))
    .map((f) => {
      const options = (f.picklistValues ?? []).map((p) => p.value);
      return {
        objectType,
        name: f.name,
        label: f.label,
        valueType: VALUE_TYPES[f.type] ?? 'string',
        ...(options.length > 0 ? { options } : {}),
      };
    });
}

/** Standard picklists whose values the records carry, by the canonical key they are stored under. */
const STANDARD_PICKLISTS: Record<string, Record<string, string>> = { Account: { Industry: 'industry' }, Lead: { Industry: 'industry' } };

/**
 * The picklist labels describe gives (value → label), under the canonical field the records carry the
 * value as: custom picklists as `custom:<name>`, standard ones (Industry) by their canonical key.
 */
export function fieldOptionsOf(
  objectName: string,
  objectType: FieldOptions['objectType'],
  describe: { fields: { name: string; custom: boolean; picklistValues?: { value: string; label?: string | null }[] | null }[] },
): FieldOptions[] {
  const custom = new Set(
    customFieldsOf(objectType, { fields: describe.fields.map((f) => ({ label: '', type: '', ...f })) }).map((f) => f.name),
  );
  const out: FieldOptions[] = [];
  for (const f of describe.fields) {
    const field = custom.has(f.name) ? `custom:${f.name}` : STANDARD_PICKLISTS[objectName]?.[f.name];
    const options = (f.picklistValues ?? []).map((p) => ({ value: p.value, label: p.label || p.value }));
    if (field && options.length > 0) out.push({ objectType, field, options });
  }
  return out;
}
