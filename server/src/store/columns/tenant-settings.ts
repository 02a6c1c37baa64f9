import { z } from 'zod';

/**
 * `tenants.settings` is one JSON object with a section per part of the product: `scoring` (the scoring
 * core), `jobs` (the job layer), `app` (the settings page) and `snoozed` (the cards). The store reads the
 * object as a whole and the sections it serves itself; a section's owner parses the others.
 */
export const tenantSettingsSchema = z.record(z.string(), z.unknown());
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

/** Per-tenant scoring settings (admins edit them). Every field has a default: no settings means the product's defaults. */
export const scoringSettingsSchema = z.object({
  /** Features (by name or by source field, e.g. `custom:region`) an admin excluded from every model. */
  excludedFields: z.array(z.string()).default([]),
  /**
   * Fields (by feature name or source, e.g. `custom:region`) the models may read at today's value although
   * the CRM gave no history for them; without this they are excluded (scoring/history-coverage.ts).
   */
  fieldsWithoutHistory: z.array(z.string()).default([]),
  /** Thin-data minimums below which the shipped prior model is used. */
  minWonDeals: z.number().int().min(1).default(40),
  minLostDeals: z.number().int().min(1).default(40),
  minContacts: z.number().int().min(1).default(100),
  minConversions: z.number().int().min(1).default(20),
  /** Stage id (per pipeline id) from which the "after proposal" deal model applies; default: a stage labelled like "proposal". */
  proposalStages: z.record(z.string(), z.string()).default({}),
  /** A probability move larger than this since the last scoring raises the "probability fell" action. */
  varianceThreshold: z.number().min(0).max(1).default(0.1),
  /** Smallest probability change shown as a trend up/down. */
  trendThreshold: z.number().min(0).max(1).default(0.03),
  /** A deal is stalled when its days in stage exceed this percentile of won deals' days in that stage. */
  stalledDealPercentile: z.number().int().min(50).max(99).default(75),
  /** Days without a touch after which a company is lonely; absent = a quarter of the portal's average won-deal cycle. */
  lonelyWindowDays: z.number().int().min(1).max(365).optional(),
  /** Pipelines whose deals are neither trained on nor scored. */
  excludedPipelines: z.array(z.string()).default([]),
  /** "No activity in N days" rule. */
  noActivityDays: z.number().int().min(1).default(14),
  /** Scheduled retraining interval. */
  retrainEveryDays: z.number().int().min(1).default(7),
  /** A challenger may replace a champion this much older even when its AUC is lower. */
  championMaxAgeDays: z.number().int().min(1).default(90),
  /** A challenger wins if its hold-out AUC >= champion AUC - this. */
  championAucTolerance: z.number().min(0).max(1).default(0.01),
});
export type ScoringSettings = z.infer<typeof scoringSettingsSchema>;

/**
 * Actions a rep snoozed, { "deal/123/action-id": "YYYY-MM-DD" }. A snooze ends on its date, so nothing
 * needs cleaning up; an unreadable map reads as "nothing snoozed" rather than failing a card.
 */
export const snoozedSchema = z.record(z.string(), z.iso.date()).catch({});
export type Snoozed = z.infer<typeof snoozedSchema>;

/**
 * What Closewise learnt about the CRM account at install (`portal` section): its time zone (a HubSpot private
 * app's daily limit resets at its midnight) and, for a private app, the subscription tier its limits follow.
 * Unreadable values read as unknown rather than failing a connector.
 */
export const portalSettingsSchema = z
  .object({
    timeZone: z.string().min(1).optional().catch(undefined),
    tier: z.string().min(1).optional().catch(undefined),
  })
  .catch({});
export type PortalSettings = z.infer<typeof portalSettingsSchema>;
