import {
  type CompanyCardData,
  type ContactCardData,
  companyCardSchema,
  contactCardSchema,
  type DealCardData,
  dealCardSchema,
  type SettingsResponse,
  settingsResponseSchema,
} from '@closewise/contract';

/** Factories of valid card payloads; each is parsed by the real schema so a fixture cannot drift from the contract. */

export function dealScored(overrides: Partial<Extract<DealCardData, { state: 'scored' }>> = {}): DealCardData {
  return dealCardSchema.parse({
    state: 'scored',
    id: '101',
    winProbability: 62.4,
    dealScore: 4,
    trend: { direction: 'up', previousProbability: 55, previousScoredAt: '2026-11-20T09:00:00.000Z' },
    reasons: [
      { direction: 'positive', sentence: 'Two meetings held in the last 14 days.', feature: 'meetings_14d' },
      { direction: 'negative', sentence: 'Close date pushed back twice.', feature: 'close_date_pushes' },
    ],
    nextActions: [
      {
        id: 'follow-up-champion',
        sentence: 'Book a follow-up with the champion this week.',
        severity: 'high',
        action: { type: 'create_task', title: 'Follow up with champion', dueDate: '2026-11-25' },
      },
      { id: 'multi-thread', sentence: 'Add a second contact from the buying committee.', severity: 'medium', action: { type: 'advice' } },
    ],
    model: { version: 'deal-v3', source: 'portal', auc: 0.81 },
    scoredAt: '2026-11-22T08:30:00.000Z',
    ...overrides,
  });
}

/** A closed deal's card: won by default, last scored two days before it closed. */
export function dealClosed(overrides: Partial<Extract<DealCardData, { state: 'closed' }>> = {}): DealCardData {
  return dealCardSchema.parse({
    state: 'closed',
    id: '103',
    outcome: 'won',
    stageLabel: 'Closed Won',
    closedAt: '2026-11-24T15:00:00.000Z',
    lastScoreBeforeClose: { probability: 71.6, scoredAt: '2026-11-22T08:30:00.000Z' },
    ...overrides,
  });
}

/** A contact who became a customer, last scored the week before. */
export function contactCustomer(overrides: Partial<Extract<ContactCardData, { state: 'customer' }>> = {}): ContactCardData {
  return contactCardSchema.parse({
    state: 'customer',
    id: '203',
    customerSince: '2026-11-20T10:00:00.000Z',
    lastScoreBeforeCustomer: { probability: 34, scoredAt: '2026-11-13T08:30:00.000Z' },
    ...overrides,
  });
}

export function notScored(id = '101', message = 'Closed deals are not scored.'): DealCardData {
  return dealCardSchema.parse({ state: 'not_scored', id, message });
}

export function contactScored(overrides: Partial<Extract<ContactCardData, { state: 'scored' }>> = {}): ContactCardData {
  return contactCardSchema.parse({
    state: 'scored',
    id: '201',
    closeLikelihood90d: 18.2,
    priorityTier: 'high',
    leadGrade: {
      grade: 'B2',
      fit: 'B',
      engagement: 2,
      why: ['Job title matches buyers in won deals.', 'Opened 3 emails and attended a meeting in 30 days.'],
    },
    reasons: [{ direction: 'positive', sentence: 'Attended a meeting last week.', feature: 'meetings_30d' }],
    nextActions: [
      {
        id: 'call-contact',
        sentence: 'Call while engagement is fresh.',
        severity: 'medium',
        action: { type: 'create_task', title: 'Call contact', dueDate: '2026-11-24' },
      },
    ],
    model: { version: 'contact-v2', source: 'portal', auc: 0.77 },
    scoredAt: '2026-11-22T08:30:00.000Z',
    ...overrides,
  });
}

export function companyScored(overrides: Partial<Extract<CompanyCardData, { state: 'scored' }>> = {}): CompanyCardData {
  return companyCardSchema.parse({
    state: 'scored',
    id: '301',
    engagement: {
      level: 'lonely',
      lastActivityAt: '2026-09-30T12:00:00.000Z',
      activityCount30d: 0,
      activityCount90d: 4,
      lonelyWindowDays: 30,
    },
    openDeals: [
      { id: '101', name: 'Acme renewal', stageLabel: 'Proposal sent', winProbability: 62.4 },
      { id: '102', name: 'Acme upsell', stageLabel: 'Discovery', winProbability: null },
    ],
    contacts: [
      { id: '202', name: 'Bo Low', priorityTier: 'low', closeLikelihood90d: 3 },
      { id: '201', name: 'Ada High', priorityTier: 'very_high', closeLikelihood90d: 41 },
    ],
    nextActions: [
      {
        id: 'revive-account',
        sentence: 'Nobody has talked to Acme in 53 days: schedule a check-in.',
        severity: 'high',
        action: { type: 'create_task', title: 'Check in with Acme', dueDate: '2026-11-26' },
      },
    ],
    model: { version: 'deal-v3', source: 'prior' },
    scoredAt: '2026-11-22T08:30:00.000Z',
    ...overrides,
  });
}

export function settingsResponse(): SettingsResponse {
  return settingsResponseSchema.parse({
    values: {
      varianceThreshold: 0.04,
      stalledDealPercentile: 80,
      lonelyWindowDays: 30,
      retrainingCron: '0 3 * * 0',
      excludedProperties: ['engagement.note'],
      pipelines: [{ pipelineId: 'default', included: true, firstProposalStageId: 'presentationscheduled' }],
    },
    availablePipelines: [
      {
        id: 'default',
        label: 'Sales pipeline',
        stages: [
          { id: 'appointmentscheduled', label: 'Appointment scheduled', closed: false },
          { id: 'presentationscheduled', label: 'Presentation scheduled', closed: false },
          { id: 'contractsent', label: 'Contract sent', closed: false },
          { id: 'closedwon', label: 'Closed won', closed: true },
          { id: 'closedlost', label: 'Closed lost', closed: true },
        ],
      },
      {
        id: 'renewals',
        label: 'Renewals',
        stages: [
          { id: 'r1', label: 'Renewal due', closed: false },
          { id: 'r-won', label: 'Renewed', closed: true },
        ],
      },
    ],
    availableProperties: [
      { name: 'engagement.note', label: 'Notes in the last 30 days', objectType: 'activity' },
      { name: 'deal.amount', label: 'Amount', objectType: 'deal' },
      { name: 'company.industry', label: 'Industry', objectType: 'company' },
      { name: 'custom:region', label: 'Region', objectType: 'contact' },
    ],
    models: [
      {
        target: 'contact_close_90d',
        source: 'portal',
        version: 2,
        auc: 0.77,
        ece: 0.041,
        holdoutRows: 812,
        lastTrainedAt: '2026-11-16T03:00:00.000Z',
        driftWarning: null,
      },
      {
        target: 'contact_fit',
        source: 'prior',
        version: 1,
        auc: 0.64,
        ece: 0.09,
        holdoutRows: 812,
        lastTrainedAt: '2026-10-01T00:00:00.000Z',
        driftWarning: null,
      },
      {
        target: 'deal_win_at_creation',
        source: 'portal',
        version: 3,
        auc: 0.81,
        ece: 0.032,
        holdoutRows: 140,
        lastTrainedAt: '2026-11-16T03:00:00.000Z',
        driftWarning: null,
      },
      {
        target: 'deal_win_after_proposal',
        source: 'not_trained',
        version: null,
        auc: null,
        ece: null,
        holdoutRows: null,
        lastTrainedAt: null,
        driftWarning: null,
      },
    ],
  });
}
