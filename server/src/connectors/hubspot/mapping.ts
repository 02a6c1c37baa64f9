import type { ActivityKind, ObjectType } from '../../store/schema.ts';
import type { CustomFieldInfo, FieldOptions, NeutralActivity, NeutralRecord, NeutralStage } from '../connector.ts';
import type { HubSpotObject } from './sdk-objects.ts';

/** HubSpot's names for the neutral object and activity types, and back. */
export const HUBSPOT_OBJECT: Record<ObjectType, string> = { contact: 'contacts', company: 'companies', deal: 'deals' };
export const HUBSPOT_ACTIVITY: Record<ActivityKind, string> = {
  email: 'emails',
  call: 'calls',
  meeting: 'meetings',
  note: 'notes',
  task: 'tasks',
};

/** Standard HubSpot properties read per object, by the canonical key they become. */
export const STANDARD_PROPERTIES: Record<ObjectType, Record<string, string>> = {
  deal: {
    name: 'dealname',
    amount: 'amount',
    stage: 'dealstage',
    pipeline: 'pipeline',
    close_date: 'closedate',
    owner_id: 'hubspot_owner_id',
  },
  contact: {
    job_title: 'jobtitle',
    lead_status: 'hs_lead_status',
    owner_id: 'hubspot_owner_id',
    country: 'country',
    lifecycle: 'lifecyclestage',
  },
  company: {
    name: 'name',
    industry: 'industry',
    employees: 'numberofemployees',
    annual_revenue: 'annualrevenue',
    country: 'country',
    owner_id: 'hubspot_owner_id',
  },
};
/** Read too, but only to derive canonical values (a contact's display name); never stored raw. */
const DERIVATION_PROPERTIES: Record<ObjectType, string[]> = { deal: [], contact: ['firstname', 'lastname'], company: [] };

/**
 * Properties whose history is requested: every standard property the models read and every custom property,
 * so features at a past moment read the value as it was then, not today's (a field filled in at close would
 * otherwise predict the outcome it describes). Display-only derivations (first/last name) need none.
 */
export function historyPropertiesToRead(objectType: ObjectType, customFields: CustomFieldInfo[]): string[] {
  const custom = customFields.filter((f) => f.objectType === objectType).map((f) => f.name);
  return [...Object.values(STANDARD_PROPERTIES[objectType]), ...custom];
}

export const ACTIVITY_PROPERTIES = [
  'hs_timestamp',
  'hs_call_direction',
  'hs_email_direction',
  'hs_meeting_outcome',
  'hs_task_status',
  'hs_task_priority',
  'hubspot_owner_id',
  'hs_createdate',
];

/** Email and call directions as HubSpot spells them. */
const DIRECTIONS: Record<string, 'inbound' | 'outbound'> = {
  INCOMING_EMAIL: 'inbound',
  EMAIL: 'outbound',
  FORWARDED_EMAIL: 'outbound',
  INBOUND: 'inbound',
  OUTBOUND: 'outbound',
};

const LIFECYCLE: Record<string, string> = {
  subscriber: 'subscriber',
  lead: 'lead',
  marketingqualifiedlead: 'mql',
  salesqualifiedlead: 'sql',
  opportunity: 'opportunity',
  customer: 'customer',
  evangelist: 'evangelist',
  other: 'other',
};

export interface HubSpotStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
}

export function propertiesToRead(objectType: ObjectType, customFields: CustomFieldInfo[]): string[] {
  const custom = customFields.filter((f) => f.objectType === objectType).map((f) => f.name);
  return [
    ...Object.values(STANDARD_PROPERTIES[objectType]),
    ...DERIVATION_PROPERTIES[objectType],
    'createdate',
    'hs_lastmodifieddate',
    'lastmodifieddate',
    ...custom,
  ];
}

export function mapStage(pipelineId: string, stage: HubSpotStage): NeutralStage {
  const closed = stage.metadata.isClosed === 'true';
  const probability = stage.metadata.probability === undefined ? null : Number(stage.metadata.probability);
  return {
    pipelineId,
    stageId: stage.id,
    label: stage.label,
    displayOrder: stage.displayOrder,
    probability: Number.isFinite(probability) ? probability : null,
    outcome: !closed ? 'open' : probability === 1 ? 'won' : 'lost',
  };
}

function toDate(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(/^\d+$/.test(value) ? Number(value) : value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function lifecycleOf(value: string | null | undefined): string | null {
  if (!value) return null;
  return LIFECYCLE[value] ?? 'other';
}

export function mapRecord(
  objectType: ObjectType,
  object: HubSpotObject,
  customFields: CustomFieldInfo[],
  stages: Map<string, NeutralStage>,
): NeutralRecord {
  const raw = object.properties;
  const properties: Record<string, string | null> = {};
  for (const [canonical, hubspotName] of Object.entries(STANDARD_PROPERTIES[objectType])) properties[canonical] = raw[hubspotName] ?? null;
  for (const field of customFields) if (field.objectType === objectType) properties[`custom:${field.name}`] = raw[field.name] ?? null;

  // Every property HubSpot returned history for, by canonical key. A property it returned none for has no
  // history rows, which is how the scoring core tells "history unknown" (see scoring/history-coverage.ts).
  const history: NeutralRecord['history'] = [];
  const historied: [string, string][] = [
    ...Object.entries(STANDARD_PROPERTIES[objectType]),
    ...customFields.filter((f) => f.objectType === objectType).map((f): [string, string] => [`custom:${f.name}`, f.name]),
  ];
  for (const [canonical, hubspotName] of historied) {
    for (const entry of object.propertiesWithHistory?.[hubspotName] ?? []) {
      const changedAt = toDate(entry.timestamp);
      if (!changedAt) continue;
      history.push({ property: canonical, value: canonical === 'lifecycle' ? lifecycleOf(entry.value) : entry.value, changedAt });
    }
  }

  if (objectType === 'contact') {
    properties.name = [raw.firstname, raw.lastname].filter(Boolean).join(' ') || null;
    properties.lifecycle = lifecycleOf(raw.lifecyclestage);
    const customerSince = history
      .filter((h) => h.property === 'lifecycle' && h.value === 'customer')
      .sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime())[0];
    properties.became_customer_at = customerSince?.changedAt.toISOString() ?? null;
  }
  if (objectType === 'deal') {
    const outcome = stages.get(properties.stage ?? '')?.outcome;
    const closedEntry = history
      .filter((h) => h.property === 'stage' && stages.get(h.value ?? '')?.outcome !== 'open' && stages.has(h.value ?? ''))
      .sort((a, b) => b.changedAt.getTime() - a.changedAt.getTime())[0];
    properties.closed_at =
      outcome && outcome !== 'open' ? (closedEntry?.changedAt.toISOString() ?? toDate(raw.closedate)?.toISOString() ?? null) : null;
  }

  return {
    objectType,
    externalId: object.id,
    createdAt: toDate(raw.createdate) ?? toDate(object.createdAt),
    updatedAt: toDate(raw.hs_lastmodifieddate ?? raw.lastmodifieddate) ?? toDate(object.updatedAt),
    archived: object.archived ?? false,
    properties,
    history,
  };
}

export function mapActivity(kind: ActivityKind, object: HubSpotObject): NeutralActivity | null {
  const raw = object.properties;
  const occurredAt = toDate(raw.hs_timestamp) ?? toDate(raw.hs_createdate) ?? toDate(object.createdAt);
  if (!occurredAt) return null;
  const direction = DIRECTIONS[raw.hs_email_direction ?? raw.hs_call_direction ?? ''] ?? null;
  return {
    kind,
    externalId: object.id,
    occurredAt,
    direction,
    properties: {
      outcome: raw.hs_meeting_outcome ?? null,
      status: raw.hs_task_status ?? null,
      priority: raw.hs_task_priority ?? null,
      owner_id: raw.hubspot_owner_id ?? null,
    },
  };
}

const VALUE_TYPES: Record<string, CustomFieldInfo['valueType']> = {
  number: 'number',
  enumeration: 'enumeration',
  date: 'date',
  datetime: 'date',
};

export function mapCustomField(
  objectType: ObjectType,
  property: { name: string; label: string; type: string; fieldType: string; options?: { value: string }[] },
): CustomFieldInfo {
  const valueType =
    property.fieldType === 'booleancheckbox' || property.type === 'bool' ? 'bool' : (VALUE_TYPES[property.type] ?? 'string');
  return {
    objectType,
    name: property.name,
    label: property.label,
    valueType,
    ...(property.options?.length ? { options: property.options.map((o) => o.value) } : {}),
  };
}

/**
 * A HubSpot enumeration's option labels under the canonical field its values are stored as: a standard
 * property by its canonical key (lifecycle stages by Closewise's own stage names), a custom one as
 * `custom:<name>`. null for a property Closewise does not read, or one without options.
 */
export function mapFieldOptions(
  objectType: ObjectType,
  property: { name: string; type: string; options?: { value: string; label: string }[] },
  custom: boolean,
): FieldOptions | null {
  if (property.type !== 'enumeration' || !property.options?.length) return null;
  const canonical = custom
    ? `custom:${property.name}`
    : Object.entries(STANDARD_PROPERTIES[objectType]).find(([, hubspotName]) => hubspotName === property.name)?.[0];
  if (!canonical || canonical === 'owner_id' || canonical === 'stage') return null;
  const byValue = new Map<string, string>();
  for (const option of property.options) {
    const value = canonical === 'lifecycle' ? lifecycleOf(option.value) : option.value;
    // Custom lifecycle stages all read as 'other': HubSpot's own 'other' keeps its label.
    if (value !== null && (!byValue.has(value) || option.value === value)) byValue.set(value, option.label);
  }
  return { objectType, field: canonical, options: [...byValue].map(([value, label]) => ({ value, label })) };
}
