import type { SeedPipeline } from './portal-data.ts';

/** The open stages of HubSpot's default sales pipeline, in funnel order. */
export const OPEN_STAGE_IDS = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
] as const;
export const WON_STAGE_ID = 'closedwon';
export const LOST_STAGE_ID = 'closedlost';

export const DEFAULT_PIPELINE: SeedPipeline = {
  id: 'default',
  label: 'Sales Pipeline',
  stages: [
    { id: 'appointmentscheduled', label: 'Appointment Scheduled', displayOrder: 0, probability: 0.2, closed: false, won: false },
    { id: 'qualifiedtobuy', label: 'Qualified To Buy', displayOrder: 1, probability: 0.4, closed: false, won: false },
    { id: 'presentationscheduled', label: 'Presentation Scheduled', displayOrder: 2, probability: 0.6, closed: false, won: false },
    { id: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', displayOrder: 3, probability: 0.8, closed: false, won: false },
    { id: 'contractsent', label: 'Contract Sent', displayOrder: 4, probability: 0.9, closed: false, won: false },
    { id: 'closedwon', label: 'Closed Won', displayOrder: 5, probability: 1, closed: true, won: true },
    { id: 'closedlost', label: 'Closed Lost', displayOrder: 6, probability: 0, closed: true, won: false },
  ],
};

/**
 * The first-proposal stage an admin of the synthetic portal chooses on the settings page, per pipeline id.
 * HubSpot's default pipeline names no stage like a proposal, so Closewise waits for this choice; proposals go
 * out at the presentation. Tests and the demo save it as the admin would (it is what Closewise guessed before
 * it stopped guessing, so the figures measured with it are unchanged).
 */
export const ADMIN_FIRST_PROPOSAL_STAGES: Readonly<Record<string, string>> = { default: 'presentationscheduled' };

/** Contact lifecycle stages in order (HubSpot internal values). */
export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
