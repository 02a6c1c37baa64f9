import type { Kysely } from 'kysely';
import { z } from 'zod';
import { NotFoundError } from '../errors/errors.ts';
import type { Database } from '../store/schema.ts';

/**
 * Per-tenant scoring settings, kept under `tenants.settings.scoring` (admins edit them).
 * Every field has a default, so a tenant with no settings gets the product's defaults.
 */
export const scoringSettingsSchema = z.object({
  /** Features (by name or by source field, e.g. `custom:region`) an admin excluded from every model. */
  excludedFields: z.array(z.string()).default([]),
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

export const defaultScoringSettings: ScoringSettings = scoringSettingsSchema.parse({});

const tenantSettingsSchema = z.object({ scoring: scoringSettingsSchema.optional() }).passthrough();

export async function readScoringSettings(db: Kysely<Database>, tenantId: string): Promise<ScoringSettings> {
  const row = await db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
  if (!row) throw new NotFoundError(`tenant ${tenantId} does not exist`);
  return tenantSettingsSchema.parse(row.settings ?? {}).scoring ?? defaultScoringSettings;
}
