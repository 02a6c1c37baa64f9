import type { PortalData, SeedActivity, SeedCustomProperty, SeedRecord } from '../seed/portal-data.ts';
import { HISTORY_OBJECTS, MAX_TRACKED_FIELDS, trackHistory } from './field-history.ts';
import { Org, type SRecord, type SValue, sfDateTime } from './org.ts';
import { type FieldType, newField } from './schema.ts';

/**
 * Loads a CRM-neutral portal into Salesforce's shapes:
 * companies → Account; deals → Opportunity (+ OpportunityHistory rows for each change of stage, amount or
 * close date; stages become the StageName picklist and OpportunityStage rows); people who reached the
 * opportunity stage or sit on a deal → Contact, with a converted Lead carrying their lead-stage past;
 * everyone else → an unconverted Lead; deal→contact links → OpportunityContactRole; emails, calls and tasks
 * → Task (emails also get an EmailMessage with Incoming), meetings → Event; owners → User; the portal's
 * custom properties → custom fields `<Name>__c` on the matching objects.
 */
export interface LoadedPortal {
  org: Org;
  /** Seed id → Salesforce id (contacts map to their Contact or Lead). */
  idMap: Map<string, string>;
}

const CONTACT_STAGES = new Set(['opportunity', 'customer', 'evangelist']);
const DECISION_TITLES = /\b(chief|ceo|cfo|cto|coo|vp|vice president|head|director|owner|founder|president)\b/i;

/** HubSpot property names → Salesforce custom field API names (letters, digits, single underscores). */
export function customFieldName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('_');
  return `${/^[A-Za-z]/.test(cleaned) ? cleaned : `X${cleaned}`}__c`;
}

const FIELD_TYPES: Record<SeedCustomProperty['type'], FieldType> = {
  string: 'string',
  number: 'double',
  enumeration: 'picklist',
  date: 'date',
  datetime: 'datetime',
  bool: 'boolean',
};

function customValue(type: SeedCustomProperty['type'], value: string | null | undefined): SValue {
  if (value === null || value === undefined || value === '') return null;
  if (type === 'number') return Number(value);
  if (type === 'bool') return value === 'true';
  if (type === 'date') return value.slice(0, 10);
  if (type === 'datetime') return sfDateTime(Date.parse(value));
  return value;
}

function num(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function dateOnly(value: string | null | undefined): string | null {
  return value ? value.slice(0, 10) : null;
}

function stamp(value: string): string {
  return sfDateTime(Date.parse(value));
}

function firstTimeIn(record: SeedRecord, property: string, values: Set<string>): string | undefined {
  return record.history[property]?.find((h) => h.value !== null && values.has(h.value))?.timestamp;
}

const LEAD_STATUS: Record<string, string> = {
  NEW: 'Open - Not Contacted',
  OPEN: 'Working - Contacted',
  IN_PROGRESS: 'Working - Contacted',
  ATTEMPTED_TO_CONTACT: 'Working - Contacted',
  CONNECTED: 'Working - Contacted',
  OPEN_DEAL: 'Working - Contacted',
  UNQUALIFIED: 'Closed - Not Converted',
  BAD_TIMING: 'Closed - Not Converted',
};

/** The standard fields the synthetic org tracks history for (its custom fields are tracked too, up to 20 per object). */
const TRACKED_STANDARD: Record<string, string[]> = {
  Account: ['Industry', 'NumberOfEmployees', 'AnnualRevenue', 'BillingCountry', 'OwnerId'],
  Contact: ['Title', 'MailingCountry', 'OwnerId'],
  Lead: ['Title', 'Country', 'Status', 'OwnerId'],
  // Amount, StageName and CloseDate are also in OpportunityHistory, which every org keeps.
  Opportunity: ['Amount', 'StageName', 'CloseDate', 'OwnerId'],
};

/** Seed property → Salesforce field, per object, for the standard fields whose seed history is replayed. */
const SEED_FIELDS: Record<string, [string, string][]> = {
  Account: [
    ['industry', 'Industry'],
    ['numberofemployees', 'NumberOfEmployees'],
    ['annualrevenue', 'AnnualRevenue'],
    ['country', 'BillingCountry'],
    ['hubspot_owner_id', 'OwnerId'],
  ],
  Contact: [
    ['jobtitle', 'Title'],
    ['country', 'MailingCountry'],
    ['hubspot_owner_id', 'OwnerId'],
  ],
  Lead: [
    ['jobtitle', 'Title'],
    ['country', 'Country'],
    ['hubspot_owner_id', 'OwnerId'],
  ],
  Opportunity: [['hubspot_owner_id', 'OwnerId']],
};

/**
 * The seed's changes after the record's creation, replayed as field history rows (OldValue → NewValue) for
 * the tracked fields; `convert` turns a seed value into the field's Salesforce value.
 */
function replayHistory(
  org: Org,
  objectName: string,
  record: SRecord,
  seed: SeedRecord,
  fields: { seedName: string; field: string; convert: (value: string | null) => SValue }[],
): void {
  const h = HISTORY_OBJECTS[objectName];
  if (!h) return;
  const tracked = new Set(org.schema.get(h.name)?.fields.get('Field')?.picklistValues ?? []);
  const created = String(record.CreatedDate);
  const createdMs = Date.parse(created.replace('+0000', 'Z'));
  for (const { seedName, field, convert } of fields) {
    if (!tracked.has(field)) continue;
    const entries = seed.history[seedName] ?? [];
    const later = entries.filter((e) => Date.parse(e.timestamp) > createdMs);
    const before = entries.filter((e) => Date.parse(e.timestamp) <= createdMs);
    let previous: SValue =
      before.length > 0 ? convert(before[before.length - 1]?.value ?? null) : later.length > 0 ? null : (record[field] ?? null);
    for (const entry of later) {
      const value = convert(entry.value ?? null);
      if (value === previous) continue;
      org.insert(h.name, { [h.parentField]: record.Id ?? null, Field: field, OldValue: previous, NewValue: value }, stamp(entry.timestamp));
      previous = value;
    }
  }
}

export function loadPortalIntoOrg(
  data: PortalData,
  options: { closewiseFieldsInstalled: boolean; untrackedHistory?: Record<string, string[]> },
): LoadedPortal {
  const stages = new Map<string, { label: string; order: number; probability: number; closed: boolean; won: boolean }>();
  const stageLabel = new Map<string, string>();
  for (const pipeline of data.pipelines) {
    for (const stage of pipeline.stages) {
      // Salesforce has one StageName picklist: stages of several pipelines merge by label.
      if (!stages.has(stage.label))
        stages.set(stage.label, {
          label: stage.label,
          order: stage.displayOrder,
          probability: stage.probability,
          closed: stage.closed,
          won: stage.won,
        });
      stageLabel.set(`${pipeline.id}/${stage.id}`, stage.label);
      stageLabel.set(stage.id, stage.label);
    }
  }
  const org = new Org({ stageNames: [...stages.keys()], closewiseFieldsInstalled: options.closewiseFieldsInstalled });
  org.observe(Date.parse(data.now));
  const idMap = new Map<string, string>();

  for (const stage of [...stages.values()].sort((a, b) => a.order - b.order)) {
    org.insert('OpportunityStage', {
      MasterLabel: stage.label,
      ApiName: stage.label,
      SortOrder: stage.order,
      DefaultProbability: Math.round(stage.probability * 100),
      IsClosed: stage.closed,
      IsWon: stage.won,
      IsActive: true,
      ForecastCategoryName: stage.won ? 'Closed' : stage.closed ? 'Omitted' : 'Pipeline',
    });
  }

  for (const owner of data.owners) {
    const user = org.insert('User', {
      Username: owner.email,
      Email: owner.email,
      FirstName: owner.firstName,
      LastName: owner.lastName,
      Name: `${owner.firstName} ${owner.lastName}`,
      IsActive: true,
    });
    idMap.set(owner.id, String(user.Id));
  }
  const ownerOf = (props: Record<string, string | null>): string | null => idMap.get(props.hubspot_owner_id ?? '') ?? null;

  const objectsFor: Record<string, string[]> = { company: ['Account'], deal: ['Opportunity'], contact: ['Contact', 'Lead'] };
  for (const prop of data.customProperties) {
    for (const objectName of objectsFor[prop.objectType] ?? []) {
      const def = org.schema.get(objectName);
      def?.fields.set(
        customFieldName(prop.name),
        newField(customFieldName(prop.name), FIELD_TYPES[prop.type], {
          label: prop.label,
          ...(prop.options ? { picklistValues: prop.options } : {}),
          ...(prop.optionLabels ? { picklistLabels: prop.optionLabels } : {}),
        }),
      );
    }
  }
  for (const [objectName, standard] of Object.entries(TRACKED_STANDARD)) {
    const custom = [...(org.schema.get(objectName)?.fields.values() ?? [])]
      .filter((f) => f.custom && !f.name.startsWith('Closewise_'))
      .map((f) => f.name);
    const untracked = new Set(options.untrackedHistory?.[objectName] ?? []);
    trackHistory(org, objectName, [...standard, ...custom].filter((f) => !untracked.has(f)).slice(0, MAX_TRACKED_FIELDS));
  }
  const seedFields = (objectName: string, objectType: string) => [
    ...(SEED_FIELDS[objectName] ?? []).map(([seedName, field]) => ({
      seedName,
      field,
      convert: (v: string | null): SValue =>
        field === 'OwnerId'
          ? (idMap.get(v ?? '') ?? null)
          : field === 'NumberOfEmployees' || field === 'AnnualRevenue'
            ? num(v)
            : (v ?? null),
    })),
    ...data.customProperties
      .filter((p) => p.objectType === objectType)
      .map((p) => ({ seedName: p.name, field: customFieldName(p.name), convert: (v: string | null) => customValue(p.type, v) })),
  ];
  const customs = (objectType: string, props: Record<string, string | null>): SRecord => {
    const out: SRecord = {};
    for (const prop of data.customProperties.filter((p) => p.objectType === objectType))
      out[customFieldName(prop.name)] = customValue(prop.type, props[prop.name]);
    return out;
  };

  const companyOfContact = new Map<string, string>();
  const contactsOfDeal = new Map<string, string[]>();
  const companyOfDeal = new Map<string, string>();
  for (const a of data.associations) {
    if (a.fromType === 'contact' && a.toType === 'company' && !companyOfContact.has(a.fromId)) companyOfContact.set(a.fromId, a.toId);
    if (a.fromType === 'deal' && a.toType === 'contact') contactsOfDeal.set(a.fromId, [...(contactsOfDeal.get(a.fromId) ?? []), a.toId]);
    if (a.fromType === 'deal' && a.toType === 'company' && !companyOfDeal.has(a.fromId)) companyOfDeal.set(a.fromId, a.toId);
  }
  const onDeal = new Set([...contactsOfDeal.values()].flat());
  const titleOf = new Map(data.contacts.map((c) => [c.id, c.properties.jobtitle ?? '']));

  const companyName = new Map<string, string>();
  for (const company of data.companies) {
    const p = company.properties;
    const account = org.insert(
      'Account',
      {
        Name: p.name ?? 'Unnamed account',
        Website: p.domain ?? null,
        Industry: p.industry ?? null,
        NumberOfEmployees: num(p.numberofemployees),
        AnnualRevenue: num(p.annualrevenue),
        BillingCountry: p.country ?? null,
        OwnerId: ownerOf(p),
        ...customs('company', p),
      },
      stamp(company.createdAt),
    );
    account.LastModifiedDate = stamp(company.updatedAt);
    account.SystemModstamp = account.LastModifiedDate;
    idMap.set(company.id, String(account.Id));
    replayHistory(org, 'Account', account, company, seedFields('Account', 'company'));
    companyName.set(company.id, String(account.Name));
  }

  for (const contact of data.contacts) {
    const p = contact.properties;
    const accountSeedId = companyOfContact.get(contact.id);
    const accountId = accountSeedId ? (idMap.get(accountSeedId) ?? null) : null;
    const convertedAt =
      firstTimeIn(contact, 'lifecyclestage', CONTACT_STAGES) ??
      (CONTACT_STAGES.has(p.lifecyclestage ?? '') ? contact.createdAt : undefined);
    const person = {
      FirstName: p.firstname ?? null,
      LastName: p.lastname ?? 'Unknown',
      Name: [p.firstname, p.lastname].filter(Boolean).join(' '),
      Email: p.email ?? null,
      Title: p.jobtitle ?? null,
      OwnerId: ownerOf(p),
    };
    const leadFields = {
      ...person,
      Company: p.company ?? (accountSeedId ? companyName.get(accountSeedId) : undefined) ?? 'Individual',
      Country: p.country ?? null,
      LeadSource: p.lead_source_detail ?? null,
      ...customs('contact', p),
    };
    if (convertedAt || onDeal.has(contact.id)) {
      const created = convertedAt && Date.parse(convertedAt) > Date.parse(contact.createdAt) ? convertedAt : contact.createdAt;
      const record = org.insert(
        'Contact',
        {
          ...person,
          AccountId: accountId,
          MailingCountry: p.country ?? null,
          LeadSource: p.lead_source_detail ?? null,
          ...customs('contact', p),
        },
        stamp(created),
      );
      record.LastModifiedDate = stamp(new Date(Math.max(Date.parse(contact.updatedAt), Date.parse(created))).toISOString());
      record.SystemModstamp = record.LastModifiedDate;
      idMap.set(contact.id, String(record.Id));
      replayHistory(org, 'Contact', record, contact, seedFields('Contact', 'contact'));
      // Someone who was a lead before becoming a contact keeps that past on the converted Lead.
      if (convertedAt && Date.parse(convertedAt) > Date.parse(contact.createdAt)) {
        const lead = org.insert(
          'Lead',
          {
            ...leadFields,
            Status: 'Closed - Converted',
            IsConverted: true,
            ConvertedDate: dateOnly(convertedAt),
            ConvertedContactId: record.Id ?? null,
            ConvertedAccountId: accountId,
            ConvertedOpportunityId: null,
          },
          stamp(contact.createdAt),
        );
        lead.LastModifiedDate = stamp(convertedAt);
        lead.SystemModstamp = lead.LastModifiedDate;
      }
    } else {
      const lead = org.insert(
        'Lead',
        {
          ...leadFields,
          Status: LEAD_STATUS[p.hs_lead_status ?? ''] ?? (p.lifecyclestage === 'other' ? 'Closed - Not Converted' : 'Open - Not Contacted'),
          IsConverted: false,
          ConvertedDate: null,
          ConvertedContactId: null,
          ConvertedAccountId: null,
          ConvertedOpportunityId: null,
        },
        stamp(contact.createdAt),
      );
      lead.LastModifiedDate = stamp(contact.updatedAt);
      lead.SystemModstamp = lead.LastModifiedDate;
      idMap.set(contact.id, String(lead.Id));
      replayHistory(org, 'Lead', lead, contact, seedFields('Lead', 'contact'));
    }
  }

  const stageOf = (pipeline: string | null | undefined, stage: string | null | undefined): string | null =>
    stage ? (stageLabel.get(`${pipeline}/${stage}`) ?? stageLabel.get(stage) ?? stage) : null;
  for (const deal of data.deals) {
    const p = deal.properties;
    const stageName = stageOf(p.pipeline, p.dealstage);
    const stage = stageName ? stages.get(stageName) : undefined;
    const companySeed = companyOfDeal.get(deal.id);
    const opp = org.insert(
      'Opportunity',
      {
        Name: p.dealname ?? 'Unnamed opportunity',
        Amount: num(p.amount),
        StageName: stageName,
        Probability: stage ? Math.round(stage.probability * 100) : null,
        CloseDate: dateOnly(p.closedate),
        IsClosed: stage?.closed ?? false,
        IsWon: stage?.won ?? false,
        ForecastCategoryName: stage?.won ? 'Closed' : stage?.closed ? 'Omitted' : 'Pipeline',
        AccountId: companySeed ? (idMap.get(companySeed) ?? null) : null,
        OwnerId: ownerOf(p),
        Type: p.dealtype ?? null,
        LastActivityDate: null,
        HasOpenActivity: false,
        ...customs('deal', p),
      },
      stamp(deal.createdAt),
    );
    opp.LastModifiedDate = stamp(deal.updatedAt);
    opp.SystemModstamp = opp.LastModifiedDate;
    idMap.set(deal.id, String(opp.Id));
    replayHistory(org, 'Opportunity', opp, deal, seedFields('Opportunity', 'deal'));

    // One OpportunityHistory row per moment any of stage, amount or close date changed, with all three as of then.
    const tracked = ['dealstage', 'amount', 'closedate'] as const;
    const moments = [...new Set(tracked.flatMap((prop) => (deal.history[prop] ?? []).map((h) => h.timestamp)))].sort();
    const asOf = (prop: (typeof tracked)[number], at: string): string | null => {
      const entries = (deal.history[prop] ?? []).filter((h) => h.timestamp <= at);
      return entries.length > 0 ? (entries[entries.length - 1]?.value ?? null) : (p[prop] ?? null);
    };
    for (const at of moments) {
      const historyStage = stageOf(p.pipeline, asOf('dealstage', at));
      const hs = historyStage ? stages.get(historyStage) : undefined;
      org.insert(
        'OpportunityHistory',
        {
          OpportunityId: opp.Id ?? null,
          StageName: historyStage,
          Amount: num(asOf('amount', at)),
          CloseDate: dateOnly(asOf('closedate', at)),
          Probability: hs ? Math.round(hs.probability * 100) : null,
        },
        stamp(at),
      );
    }

    const contacts = contactsOfDeal.get(deal.id) ?? [];
    contacts.forEach((contactSeed, index) => {
      const contactId = idMap.get(contactSeed);
      if (!contactId?.startsWith('003')) return;
      const title = titleOf.get(contactSeed) ?? '';
      org.insert(
        'OpportunityContactRole',
        {
          OpportunityId: opp.Id ?? null,
          ContactId: contactId,
          IsPrimary: index === 0,
          Role: DECISION_TITLES.test(title) ? 'Decision Maker' : index === 0 ? 'Evaluator' : 'Influencer',
        },
        stamp(deal.createdAt),
      );
    });
  }

  for (const activity of data.activities) loadActivity(org, idMap, activity);
  return { org, idMap };
}

function loadActivity(org: Org, idMap: Map<string, string>, activity: SeedActivity): void {
  const p = activity.properties;
  const whoId = activity.contactIds.map((id) => idMap.get(id)).find((id) => id !== undefined) ?? null;
  const dealId = activity.dealIds.map((id) => idMap.get(id)).find((id) => id !== undefined);
  const accountId = activity.companyIds.map((id) => idMap.get(id)).find((id) => id !== undefined) ?? null;
  const whatId = dealId ?? accountId;
  const at = stamp(activity.timestamp);
  const base = { WhoId: whoId, WhatId: whatId, AccountId: accountId, OwnerId: idMap.get(p.hubspot_owner_id ?? '') ?? null };
  if (activity.kind === 'meeting') {
    org.insert(
      'Event',
      {
        ...base,
        Subject: p.hs_meeting_title ?? 'Meeting',
        StartDateTime: at,
        EndDateTime: sfDateTime(Date.parse(activity.timestamp) + 1_800_000),
        ActivityDate: activity.timestamp.slice(0, 10),
        EventSubtype: 'Event',
      },
      at,
    );
    return;
  }
  // Salesforce has no activity type for notes; they stay out of the org.
  if (activity.kind === 'note') return;
  const subtype = activity.kind === 'email' ? 'Email' : activity.kind === 'call' ? 'Call' : 'Task';
  const completed = activity.kind !== 'task' || p.hs_task_status === 'COMPLETED';
  const task = org.insert(
    'Task',
    {
      ...base,
      Subject: p.hs_email_subject ?? p.hs_task_subject ?? (activity.kind === 'call' ? 'Call' : 'Task'),
      ActivityDate: activity.timestamp.slice(0, 10),
      Status: completed ? 'Completed' : 'Not Started',
      TaskSubtype: subtype,
      CallType: activity.kind === 'call' ? (p.hs_call_direction === 'INBOUND' ? 'Inbound' : 'Outbound') : null,
      CompletedDateTime: completed ? at : null,
      Description: null,
    },
    at,
  );
  if (activity.kind === 'email') {
    org.insert(
      'EmailMessage',
      {
        ActivityId: task.Id ?? null,
        RelatedToId: whatId,
        Subject: task.Subject ?? null,
        Incoming: p.hs_email_direction === 'INCOMING_EMAIL',
        MessageDate: at,
      },
      at,
    );
  }
}
