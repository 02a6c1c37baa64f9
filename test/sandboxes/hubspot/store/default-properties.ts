import { INDUSTRY } from '../../seed/industries.ts';
import type { ObjectTypeName } from '../object-types.ts';

/** A compact description of a HubSpot-defined property; expanded into a full definition by the schema store. */
export interface DefaultPropertySpec {
  name: string;
  label: string;
  type: 'string' | 'number' | 'enumeration' | 'date' | 'datetime' | 'bool';
  fieldType: string;
  /** A value alone is its own label (HubSpot's call and task enumerations); a pair is [value, label]. */
  options?: readonly (string | readonly [value: string, label: string])[];
  /** HubSpot calculates or stamps these; writes are rejected with READ_ONLY_VALUE. */
  readOnlyValue?: boolean;
}

const s = (name: string, label: string): DefaultPropertySpec => ({ name, label, type: 'string', fieldType: 'text' });
const n = (name: string, label: string, readOnlyValue = false): DefaultPropertySpec => ({
  name,
  label,
  type: 'number',
  fieldType: 'number',
  readOnlyValue,
});
const dt = (name: string, label: string, readOnlyValue = false): DefaultPropertySpec => ({
  name,
  label,
  type: 'datetime',
  fieldType: 'date',
  readOnlyValue,
});
const e = (
  name: string,
  label: string,
  options: NonNullable<DefaultPropertySpec['options']>,
  readOnlyValue = false,
): DefaultPropertySpec => ({
  name,
  label,
  type: 'enumeration',
  fieldType: 'select',
  options,
  readOnlyValue,
});

const owner: DefaultPropertySpec = { name: 'hubspot_owner_id', label: 'Owner', type: 'enumeration', fieldType: 'select', options: [] };
const objectId = n('hs_object_id', 'Record ID', true);

/** HubSpot's default lifecycle stages: internal value, label. */
const LIFECYCLE = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
] as const;

const LEAD_STATUS = [
  ['NEW', 'New'],
  ['OPEN', 'Open'],
  ['IN_PROGRESS', 'In Progress'],
  ['OPEN_DEAL', 'Open Deal'],
  ['UNQUALIFIED', 'Unqualified'],
  ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
  ['CONNECTED', 'Connected'],
  ['BAD_TIMING', 'Bad Timing'],
] as const;

/** HubSpot's "Original Source" (hs_analytics_source) values. */
const ANALYTICS_SOURCE = [
  ['ORGANIC_SEARCH', 'Organic Search'],
  ['PAID_SEARCH', 'Paid Search'],
  ['EMAIL_MARKETING', 'Email Marketing'],
  ['SOCIAL_MEDIA', 'Organic Social'],
  ['REFERRALS', 'Referrals'],
  ['OTHER_CAMPAIGNS', 'Other Campaigns'],
  ['DIRECT_TRAFFIC', 'Direct Traffic'],
  ['OFFLINE', 'Offline Sources'],
  ['PAID_SOCIAL', 'Paid Social'],
  ['AI_REFERRALS', 'AI Referrals'],
] as const;

const engagementCommon = [
  dt('hs_timestamp', 'Activity date'),
  owner,
  dt('hs_createdate', 'Create date', true),
  dt('hs_lastmodifieddate', 'Last modified date', true),
  objectId,
];

/** The HubSpot-defined properties the sandbox knows per object type (a practical subset of a real portal's). */
export const DEFAULT_PROPERTIES: Record<ObjectTypeName, DefaultPropertySpec[]> = {
  contacts: [
    s('email', 'Email'),
    s('firstname', 'First name'),
    s('lastname', 'Last name'),
    s('jobtitle', 'Job title'),
    s('phone', 'Phone number'),
    s('company', 'Company name'),
    s('website', 'Website URL'),
    s('city', 'City'),
    s('state', 'State/Region'),
    s('country', 'Country/Region'),
    { ...e('lifecyclestage', 'Lifecycle stage', LIFECYCLE), fieldType: 'radio' },
    e('hs_lead_status', 'Lead status', LEAD_STATUS),
    e('hs_analytics_source', 'Original Source', ANALYTICS_SOURCE, true),
    owner,
    dt('createdate', 'Create date'),
    dt('lastmodifieddate', 'Last modified date', true),
    dt('hs_lifecyclestage_customer_date', 'Became a customer date', true),
    n('hs_predictivecontactscore_v2', 'Likelihood to close', true),
    e(
      'hs_predictivescoringtier',
      'Contact priority',
      [
        ['tier_1', 'Very high'],
        ['tier_2', 'High'],
        ['tier_3', 'Medium'],
        ['tier_4', 'Low'],
        ['closed_won', 'Closed won'],
      ],
      true,
    ),
    n('num_associated_deals', 'Number of associated deals', true),
    objectId,
  ],
  companies: [
    s('name', 'Company name'),
    s('domain', 'Company domain name'),
    e('industry', 'Industry', INDUSTRY),
    n('numberofemployees', 'Number of employees'),
    n('annualrevenue', 'Annual revenue'),
    s('city', 'City'),
    s('state', 'State/Region'),
    s('country', 'Country/Region'),
    { ...e('lifecyclestage', 'Lifecycle stage', LIFECYCLE), fieldType: 'radio' },
    n('founded_year', 'Year founded'),
    owner,
    dt('createdate', 'Create date'),
    dt('hs_lastmodifieddate', 'Last modified date', true),
    n('num_associated_contacts', 'Number of associated contacts', true),
    objectId,
  ],
  deals: [
    s('dealname', 'Deal name'),
    n('amount', 'Amount'),
    // Options are the portal's pipeline stages; the schema store fills them from the pipelines.
    e('dealstage', 'Deal stage', []),
    e('pipeline', 'Pipeline', []),
    dt('closedate', 'Close date'),
    e('dealtype', 'Deal type', [
      ['newbusiness', 'New Business'],
      ['existingbusiness', 'Existing Business'],
    ]),
    s('description', 'Deal description'),
    {
      name: 'hs_priority',
      label: 'Priority',
      type: 'enumeration',
      fieldType: 'select',
      options: [
        ['low', 'Low'],
        ['medium', 'Medium'],
        ['high', 'High'],
      ],
    },
    owner,
    dt('createdate', 'Create date'),
    dt('hs_lastmodifieddate', 'Last modified date', true),
    n('hs_deal_score', 'Deal score', true),
    n('hs_deal_stage_probability', 'Deal probability', true),
    { name: 'hs_is_closed', label: 'Is deal closed?', type: 'bool', fieldType: 'booleancheckbox', readOnlyValue: true },
    { name: 'hs_is_closed_won', label: 'Is closed won', type: 'bool', fieldType: 'booleancheckbox', readOnlyValue: true },
    n('num_associated_contacts', 'Number of associated contacts', true),
    objectId,
  ],
  calls: [
    e('hs_call_direction', 'Call direction', ['INBOUND', 'OUTBOUND']),
    n('hs_call_duration', 'Call duration'),
    s('hs_call_title', 'Call title'),
    s('hs_call_body', 'Call notes'),
    e('hs_call_status', 'Call status', [
      'BUSY',
      'CALLING_CRM_USER',
      'CANCELED',
      'COMPLETED',
      'CONNECTING',
      'FAILED',
      'IN_PROGRESS',
      'NO_ANSWER',
      'QUEUED',
      'RINGING',
    ]),
    s('hs_call_disposition', 'Call outcome'),
    ...engagementCommon,
  ],
  emails: [
    e('hs_email_direction', 'Email direction', ['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL']),
    s('hs_email_subject', 'Email subject'),
    s('hs_email_text', 'Email body'),
    e('hs_email_status', 'Email send status', ['BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING', 'SENT']),
    ...engagementCommon,
  ],
  meetings: [
    s('hs_meeting_title', 'Meeting name'),
    s('hs_meeting_body', 'Meeting description'),
    dt('hs_meeting_start_time', 'Start time'),
    dt('hs_meeting_end_time', 'End time'),
    e('hs_meeting_outcome', 'Meeting outcome', ['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED']),
    ...engagementCommon,
  ],
  notes: [s('hs_note_body', 'Note body'), ...engagementCommon],
  tasks: [
    s('hs_task_subject', 'Task title'),
    s('hs_task_body', 'Task notes'),
    e('hs_task_status', 'Task status', ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']),
    e('hs_task_priority', 'Priority', ['NONE', 'LOW', 'MEDIUM', 'HIGH']),
    e('hs_task_type', 'Task type', ['TODO', 'CALL', 'EMAIL', 'LINKED_IN', 'MEETING']),
    ...engagementCommon,
  ],
};
