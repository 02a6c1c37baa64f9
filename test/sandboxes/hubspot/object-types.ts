/**
 * The CRM object types the sandbox serves, with the facts HubSpot attaches to each:
 * objectTypeId, which property holds the modified date, and which properties a read returns by default.
 */
export type ObjectTypeName = 'contacts' | 'companies' | 'deals' | 'calls' | 'emails' | 'meetings' | 'notes' | 'tasks';

export interface ObjectTypeInfo {
  name: ObjectTypeName;
  /** HubSpot's singular name, as used in webhook objectType and in some messages (contact, company, deal, ...). */
  singular: string;
  typeId: string;
  /** Upper-case label HubSpot uses in batch error messages ("Could not get some CONTACT objects"). */
  upperLabel: string;
  createdProperty: string;
  modifiedProperty: string;
  /** Returned when a read names no `properties`. */
  defaultProperties: string[];
  /** Always returned alongside requested properties. */
  alwaysProperties: string[];
  isEngagement: boolean;
}

function engagement(name: ObjectTypeName, singular: string, typeId: string): ObjectTypeInfo {
  return {
    name,
    singular,
    typeId,
    upperLabel: singular.toUpperCase(),
    createdProperty: 'hs_createdate',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    alwaysProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    isEngagement: true,
  };
}

export const OBJECT_TYPES: readonly ObjectTypeInfo[] = [
  {
    name: 'contacts',
    singular: 'contact',
    typeId: '0-1',
    upperLabel: 'CONTACT',
    createdProperty: 'createdate',
    modifiedProperty: 'lastmodifieddate',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    alwaysProperties: ['createdate', 'hs_object_id', 'lastmodifieddate'],
    isEngagement: false,
  },
  {
    name: 'companies',
    singular: 'company',
    typeId: '0-2',
    upperLabel: 'COMPANY',
    createdProperty: 'createdate',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    alwaysProperties: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    isEngagement: false,
  },
  {
    name: 'deals',
    singular: 'deal',
    typeId: '0-3',
    upperLabel: 'DEAL',
    createdProperty: 'createdate',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
    alwaysProperties: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    isEngagement: false,
  },
  engagement('calls', 'call', '0-48'),
  engagement('emails', 'email', '0-49'),
  engagement('meetings', 'meeting', '0-47'),
  engagement('notes', 'note', '0-46'),
  engagement('tasks', 'task', '0-27'),
];

/** HubSpot accepts the plural name, the singular name or the objectTypeId in paths. */
export function resolveObjectType(raw: string): ObjectTypeInfo | undefined {
  const key = raw.toLowerCase();
  return OBJECT_TYPES.find((t) => t.name === key || t.singular === key || t.typeId === key);
}

export function objectType(name: ObjectTypeName): ObjectTypeInfo {
  const found = OBJECT_TYPES.find((t) => t.name === name);
  if (!found) throw new Error(`unknown object type ${name}`);
  return found;
}
