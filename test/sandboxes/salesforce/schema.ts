/**
 * The sandbox org's object model: the standard fields the Closewise connector reads or writes, the
 * Closewise fields the DX package deploys (salesforce-lwc/), and the portal's custom fields added at load.
 * Describe, SOQL validation, relationship traversal and write validation all read this one table.
 */
import { INDUSTRY } from '../seed/industries.ts';
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'url'
  | 'picklist'
  | 'reference'
  | 'boolean'
  | 'currency'
  | 'double'
  | 'int'
  | 'percent'
  | 'date'
  | 'datetime';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  updateable: boolean;
  custom: boolean;
  length?: number;
  /** percent/double: digits and decimals, as Salesforce validates them. */
  precision?: number;
  scale?: number;
  picklistValues?: string[];
  /** Display labels of picklistValues by API value, as describe returns them; a value without one is its own label. */
  picklistLabels?: Record<string, string>;
  /** Restricted picklists reject values outside picklistValues. */
  restrictedPicklist?: boolean;
  referenceTo?: string[];
  relationshipName?: string;
}

export interface ObjectDef {
  name: string;
  label: string;
  keyPrefix: string;
  fields: Map<string, FieldDef>;
}

const f = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  label: extra.label ?? name.replace(/__c$/, '').replace(/_/g, ' '),
  type,
  updateable: extra.updateable ?? !['id', 'datetime'].includes(type),
  custom: name.endsWith('__c'),
  ...extra,
});
const ref = (name: string, to: string[], relationshipName: string, updateable = true): FieldDef =>
  f(name, 'reference', { referenceTo: to, relationshipName, updateable });
const system = (): FieldDef[] => [
  f('Id', 'id', { updateable: false }),
  f('CreatedDate', 'datetime', { updateable: false }),
  f('LastModifiedDate', 'datetime', { updateable: false }),
  f('SystemModstamp', 'datetime', { updateable: false }),
  f('IsDeleted', 'boolean', { updateable: false }),
];
const owned = (): FieldDef[] => [ref('OwnerId', ['User'], 'Owner')];

const TREND = ['Improving', 'Steady', 'Declining'];
/** The seed portals' industries, with API names that differ from their labels (as an org's custom values may). */
const industry = f('Industry', 'picklist', {
  picklistValues: INDUSTRY.map(([value]) => value),
  picklistLabels: Object.fromEntries(INDUSTRY),
});
const closewise = {
  trend: f('Closewise_Trend__c', 'picklist', { picklistValues: TREND, restrictedPicklist: true }),
  reasons: f('Closewise_Top_Reasons__c', 'textarea', { length: 32768 }),
  next: f('Closewise_Next_Action__c', 'string', { length: 255 }),
  scoredAt: f('Closewise_Scored_At__c', 'datetime', { updateable: true }),
  likelihood: f('Closewise_Likelihood_To_Close__c', 'percent', { precision: 5, scale: 1 }),
  priority: f('Closewise_Priority__c', 'picklist', { picklistValues: ['Very High', 'High', 'Medium', 'Low'], restrictedPicklist: true }),
  grade: f('Closewise_Lead_Grade__c', 'string', { length: 10 }),
};

/** The Closewise fields per object, exactly as salesforce-lwc/force-app deploys them. */
export const CLOSEWISE_FIELDS: Record<string, FieldDef[]> = {
  Opportunity: [
    f('Closewise_Win_Probability__c', 'percent', { precision: 5, scale: 1 }),
    f('Closewise_Deal_Score__c', 'picklist', { picklistValues: ['1', '2', '3', '4', '5'], restrictedPicklist: true }),
    closewise.trend,
    closewise.reasons,
    closewise.next,
    closewise.scoredAt,
  ],
  Lead: [closewise.likelihood, closewise.priority, closewise.grade, closewise.trend, closewise.reasons, closewise.next, closewise.scoredAt],
  Contact: [
    closewise.likelihood,
    closewise.priority,
    closewise.grade,
    closewise.trend,
    closewise.reasons,
    closewise.next,
    closewise.scoredAt,
  ],
  Account: [
    f('Closewise_Engagement_Level__c', 'picklist', { picklistValues: ['High', 'Medium', 'Lonely'], restrictedPicklist: true }),
    closewise.next,
    closewise.scoredAt,
  ],
};

export const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];

function standardObjects(stageNames: string[]): [string, string, string, FieldDef[]][] {
  return [
    [
      'User',
      'User',
      '005',
      [
        ...system(),
        f('Username', 'string'),
        f('Email', 'email'),
        f('FirstName', 'string'),
        f('LastName', 'string'),
        f('Name', 'string', { updateable: false }),
        f('IsActive', 'boolean'),
      ],
    ],
    [
      'Account',
      'Account',
      '001',
      [
        ...system(),
        ...owned(),
        f('Name', 'string'),
        f('Website', 'url'),
        industry,
        f('NumberOfEmployees', 'int'),
        f('AnnualRevenue', 'currency'),
        f('BillingCountry', 'string'),
        f('Type', 'picklist'),
      ],
    ],
    [
      'Contact',
      'Contact',
      '003',
      [
        ...system(),
        ...owned(),
        ref('AccountId', ['Account'], 'Account'),
        f('FirstName', 'string'),
        f('LastName', 'string'),
        f('Name', 'string', { updateable: false }),
        f('Email', 'email'),
        f('Title', 'string'),
        f('MailingCountry', 'string'),
        f('LeadSource', 'picklist'),
      ],
    ],
    [
      'Lead',
      'Lead',
      '00Q',
      [
        ...system(),
        ...owned(),
        f('FirstName', 'string'),
        f('LastName', 'string'),
        f('Name', 'string', { updateable: false }),
        f('Email', 'email'),
        f('Title', 'string'),
        f('Company', 'string'),
        f('Country', 'string'),
        industry,
        f('NumberOfEmployees', 'int'),
        f('AnnualRevenue', 'currency'),
        f('LeadSource', 'picklist'),
        f('Status', 'picklist', { picklistValues: LEAD_STATUSES }),
        f('IsConverted', 'boolean', { updateable: false }),
        f('ConvertedDate', 'date', { updateable: false }),
        ref('ConvertedContactId', ['Contact'], 'ConvertedContact', false),
        ref('ConvertedAccountId', ['Account'], 'ConvertedAccount', false),
        ref('ConvertedOpportunityId', ['Opportunity'], 'ConvertedOpportunity', false),
      ],
    ],
    [
      'Opportunity',
      'Opportunity',
      '006',
      [
        ...system(),
        ...owned(),
        ref('AccountId', ['Account'], 'Account'),
        f('Name', 'string'),
        f('Amount', 'currency'),
        f('StageName', 'picklist', { picklistValues: stageNames }),
        f('Probability', 'percent'),
        f('CloseDate', 'date'),
        f('IsClosed', 'boolean', { updateable: false }),
        f('IsWon', 'boolean', { updateable: false }),
        f('ForecastCategoryName', 'picklist'),
        f('Type', 'picklist'),
        f('LeadSource', 'picklist'),
        f('LastActivityDate', 'date', { updateable: false }),
        f('HasOpenActivity', 'boolean', { updateable: false }),
      ],
    ],
    [
      'OpportunityStage',
      'Opportunity Stage',
      '01J',
      [
        ...system(),
        f('MasterLabel', 'string'),
        f('ApiName', 'string'),
        f('SortOrder', 'int'),
        f('DefaultProbability', 'percent'),
        f('IsClosed', 'boolean'),
        f('IsWon', 'boolean'),
        f('IsActive', 'boolean'),
        f('ForecastCategoryName', 'picklist'),
      ],
    ],
    [
      'OpportunityHistory',
      'Opportunity History',
      '008',
      [
        ...system(),
        ref('OpportunityId', ['Opportunity'], 'Opportunity', false),
        f('StageName', 'picklist', { updateable: false }),
        f('Amount', 'currency', { updateable: false }),
        f('Probability', 'percent', { updateable: false }),
        f('CloseDate', 'date', { updateable: false }),
      ],
    ],
    [
      'OpportunityContactRole',
      'Opportunity Contact Role',
      '00K',
      [
        ...system(),
        ref('OpportunityId', ['Opportunity'], 'Opportunity'),
        ref('ContactId', ['Contact'], 'Contact'),
        f('Role', 'picklist'),
        f('IsPrimary', 'boolean'),
      ],
    ],
    [
      'Task',
      'Task',
      '00T',
      [
        ...system(),
        ...owned(),
        ref('WhoId', ['Contact', 'Lead'], 'Who'),
        ref('WhatId', ['Opportunity', 'Account'], 'What'),
        ref('AccountId', ['Account'], 'Account', false),
        f('Subject', 'string'),
        f('ActivityDate', 'date'),
        f('Status', 'picklist', { picklistValues: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'] }),
        f('TaskSubtype', 'picklist', { picklistValues: ['Task', 'Email', 'Call', 'LinkedIn', 'List Email', 'Cadence'] }),
        f('CallType', 'picklist', { picklistValues: ['Inbound', 'Outbound', 'Internal'] }),
        f('CompletedDateTime', 'datetime', { updateable: false }),
        f('Description', 'textarea'),
      ],
    ],
    [
      'Event',
      'Event',
      '00U',
      [
        ...system(),
        ...owned(),
        ref('WhoId', ['Contact', 'Lead'], 'Who'),
        ref('WhatId', ['Opportunity', 'Account'], 'What'),
        ref('AccountId', ['Account'], 'Account', false),
        f('Subject', 'string'),
        f('StartDateTime', 'datetime', { updateable: true }),
        f('EndDateTime', 'datetime', { updateable: true }),
        f('ActivityDate', 'date'),
        f('EventSubtype', 'picklist'),
      ],
    ],
    [
      'EmailMessage',
      'Email Message',
      '02s',
      [
        ...system(),
        ref('ActivityId', ['Task'], 'Activity', false),
        ref('RelatedToId', ['Opportunity', 'Account'], 'RelatedTo'),
        f('Subject', 'string'),
        f('Incoming', 'boolean'),
        f('MessageDate', 'datetime', { updateable: true }),
      ],
    ],
  ];
}

/** Builds the org's object table; custom fields of the loaded portal are added with addField. */
export function buildSchema(options: { stageNames: string[]; closewiseFieldsInstalled: boolean }): Map<string, ObjectDef> {
  const objects = new Map<string, ObjectDef>();
  for (const [name, label, keyPrefix, fields] of standardObjects(options.stageNames)) {
    const all = [...fields, ...(options.closewiseFieldsInstalled ? (CLOSEWISE_FIELDS[name] ?? []) : [])];
    objects.set(name, { name, label, keyPrefix, fields: new Map(all.map((field) => [field.name, field])) });
  }
  return objects;
}

export function newField(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return f(name, type, extra);
}
