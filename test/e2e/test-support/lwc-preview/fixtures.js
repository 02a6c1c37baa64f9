/**
 * The records and Apex answers of the LWC preview, keyed by record id. Shapes as the cards' Jest tests and
 * ClosewiseController give them: getRecord's UI API record, getChange's change, getWouldRaise's suggestions.
 */

export const OPEN_OPPORTUNITY_ID = '006000000000001AAA';
export const CLOSED_OPPORTUNITY_ID = '006000000000002AAA';
export const LEAD_ID = '00Q000000000001AAA';

/** A UI API record as getRecord emits it: every field has value and displayValue (salesforce-lwc/test/helpers.js). */
function uiRecord(apiName, id, values) {
  const fields = {};
  for (const [name, value] of Object.entries(values)) {
    fields[name] = { value, displayValue: value === null ? null : String(value) };
  }
  return { apiName, id, fields };
}

const SCORED_OPPORTUNITY = {
  Closewise_Win_Probability__c: 62.4,
  Closewise_Deal_Score__c: '4',
  Closewise_Trend__c: 'Improving',
  Closewise_Top_Reasons__c: 'Economic buyer met twice\nReplied within a day\nClose date pushed back twice.',
  Closewise_Next_Action__c: 'Book a follow-up with the champion',
  Closewise_Scored_At__c: '2026-11-20T09:30:00.000Z',
  IsClosed: false,
  IsWon: false,
  CloseDate: '2026-12-18',
  StageName: 'Proposal',
};

export const RECORDS = {
  [OPEN_OPPORTUNITY_ID]: uiRecord('Opportunity', OPEN_OPPORTUNITY_ID, SCORED_OPPORTUNITY),
  [CLOSED_OPPORTUNITY_ID]: uiRecord('Opportunity', CLOSED_OPPORTUNITY_ID, {
    ...SCORED_OPPORTUNITY,
    Closewise_Win_Probability__c: 72.4,
    IsClosed: true,
    IsWon: true,
    CloseDate: '2026-11-24',
    StageName: 'Closed Won',
  }),
  [LEAD_ID]: uiRecord('Lead', LEAD_ID, {
    Closewise_Likelihood_To_Close__c: 18.4,
    Closewise_Priority__c: 'Low',
    Closewise_Lead_Grade__c: 'C',
    Closewise_Trend__c: 'Declining',
    Closewise_Top_Reasons__c: 'No email opened in 30 days\nNo reply in 30 days',
    Closewise_Next_Action__c: 'Move to nurture',
    Closewise_Scored_At__c: '2026-11-20T09:30:00.000Z',
  }),
};

export const MODEL_STATUS = { activatedAt: '2026-11-01T00:00:00.000Z', version: 3 };

export const CHANGES = {
  [OPEN_OPPORTUNITY_ID]: {
    changed: true,
    points: 7.4,
    since: '2026-11-03T09:00:00.000Z',
    movers: [
      { label: 'Two meetings held in the last 14 days', points: 9.1 },
      { label: 'Close date pushed back twice', points: -1.7 },
    ],
  },
  [LEAD_ID]: {
    changed: true,
    points: -4,
    since: '2026-11-15T09:00:00.000Z',
    movers: [{ label: 'No email opened in 30 days', points: -4.2 }],
  },
};

export const WOULD_RAISE = {
  [OPEN_OPPORTUNITY_ID]: {
    suggestions: [
      { action: 'book_meeting', label: 'Book a meeting', estimate: 71.5, points: 9.1 },
      { action: 'log_call', label: 'Log a call', estimate: 66, points: 3.6 },
    ],
  },
  [LEAD_ID]: {
    suggestions: [{ action: 'send_email', label: 'Send an email', estimate: 20.9, points: 2.5 }],
  },
};
