import type { ActivityKind, ObjectType } from '../../store/schema.ts';
import { HUBSPOT_ACTIVITY, HUBSPOT_OBJECT } from './mapping.ts';

export const OBJECT_TYPES: ObjectType[] = ['company', 'contact', 'deal'];
export const ACTIVITY_KINDS: ActivityKind[] = ['email', 'call', 'meeting', 'note', 'task'];

/** The property HubSpot's search can filter by modification time: contacts keep their legacy name. */
export const MODIFIED_PROPERTY: Record<ObjectType | ActivityKind, string> = {
  contact: 'lastmodifieddate',
  company: 'hs_lastmodifieddate',
  deal: 'hs_lastmodifieddate',
  email: 'hs_lastmodifieddate',
  call: 'hs_lastmodifieddate',
  meeting: 'hs_lastmodifieddate',
  note: 'hs_lastmodifieddate',
  task: 'hs_lastmodifieddate',
};

export const isObjectType = (type: string): type is ObjectType => (OBJECT_TYPES as string[]).includes(type);

/** Neutral name (`deal`, `email`) → HubSpot object type (`deals`, `emails`). */
export const hubspotTypeOf = (neutral: string): string =>
  HUBSPOT_OBJECT[neutral as ObjectType] ?? HUBSPOT_ACTIVITY[neutral as ActivityKind];

/** Association pairs the features use (deal contacts, account roll-ups, activity ownership), by `from` side. */
export const ASSOCIATION_TARGETS: Record<string, string[]> = {
  company: [],
  contact: ['company'],
  deal: ['contact', 'company'],
  ...Object.fromEntries(ACTIVITY_KINDS.map((kind) => [kind, ['contact', 'deal', 'company']])),
};
