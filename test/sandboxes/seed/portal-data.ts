/**
 * A CRM portal's contents in a CRM-neutral form, as produced by the seed generators (synthetic portal,
 * dataset loaders) and loaded by each CRM sandbox (HubSpot, Salesforce) into its own object shapes.
 *
 * Property names are HubSpot's internal names for standard properties (dealname, amount, dealstage, closedate,
 * pipeline, hubspot_owner_id, createdate; contacts: email, firstname, lastname, jobtitle, lifecyclestage,
 * hs_lead_status, country; companies: name, domain, industry, numberofemployees, annualrevenue, country),
 * plus the portal's custom properties declared in `customProperties`. The Salesforce sandbox maps them to fields.
 * All timestamps are ISO-8601 strings in UTC; nothing is stamped after `now`.
 */
export type SeedObjectType = 'contact' | 'company' | 'deal';
export type SeedActivityKind = 'email' | 'call' | 'meeting' | 'note' | 'task';

export interface SeedOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

export interface SeedStage {
  id: string;
  label: string;
  displayOrder: number;
  /** HubSpot's stage probability metadata: 0..1; 1 for closed won, 0 for closed lost. */
  probability: number;
  closed: boolean;
  won: boolean;
}

export interface SeedPipeline {
  id: string;
  label: string;
  stages: SeedStage[];
}

export interface SeedHistoryEntry {
  value: string | null;
  timestamp: string;
}

export interface SeedRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  /** Current values. */
  properties: Record<string, string | null>;
  /** Full history of properties that changed over time (e.g. dealstage, lifecyclestage, amount, closedate), oldest first; the last entry equals the current value. */
  history: Record<string, SeedHistoryEntry[]>;
}

export interface SeedActivity {
  id: string;
  kind: SeedActivityKind;
  timestamp: string;
  /** e.g. hs_email_direction (INCOMING_EMAIL | EMAIL), hs_call_direction (INBOUND | OUTBOUND), hs_meeting_outcome, hs_task_status, hubspot_owner_id */
  properties: Record<string, string | null>;
  contactIds: string[];
  companyIds: string[];
  dealIds: string[];
}

export interface SeedAssociation {
  fromType: SeedObjectType;
  fromId: string;
  toType: SeedObjectType;
  toId: string;
}

export interface SeedCustomProperty {
  objectType: SeedObjectType;
  name: string;
  label: string;
  type: 'string' | 'number' | 'enumeration' | 'date' | 'datetime' | 'bool';
  fieldType: 'text' | 'number' | 'select' | 'date' | 'booleancheckbox';
  options?: string[];
  /** Display labels of `options` by value, as the CRM shows them (HubSpot option label, Salesforce picklist label); a value without one is its own label. */
  optionLabels?: Record<string, string>;
}

export interface PortalData {
  name: string;
  /** The portal's present moment: open deals are open as of now. */
  now: string;
  owners: SeedOwner[];
  pipelines: SeedPipeline[];
  customProperties: SeedCustomProperty[];
  companies: SeedRecord[];
  contacts: SeedRecord[];
  deals: SeedRecord[];
  activities: SeedActivity[];
  /** contact→company, deal→contact, deal→company. */
  associations: SeedAssociation[];
  /**
   * Ground truth the generator planted (synthetic portals only): for each deal the probability it is won,
   * for each contact the probability it becomes a customer within 90 days of creation. Used for the oracle
   * AUC; never loaded into a CRM sandbox.
   */
  truth?: { dealWin: Record<string, number>; contactConversion: Record<string, number> };
}
