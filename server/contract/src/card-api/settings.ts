import { z } from 'zod';
import { isoDateTimeSchema } from './common.ts';

/** Five-field cron (minute hour day-of-month month day-of-week); node-cron on the server re-checks it. */
export const cronSchema = z
  .string()
  .trim()
  .regex(/^(\S+\s+){4}\S+$/, { message: 'Use five cron fields: minute hour day-of-month month day-of-week' })
  .regex(/^[\d*/,\-\sA-Za-z]+$/, { message: 'Cron fields may only hold digits, names, * / , and -' });

export const pipelineSettingSchema = z.object({
  pipelineId: z.string().min(1).max(100),
  /** Deals in excluded pipelines are neither trained on nor scored. */
  included: z.boolean(),
  /** The stage that counts as "first proposal sent"; null = not chosen yet. */
  firstProposalStageId: z.string().min(1).max(100).nullable(),
});
export type PipelineSetting = z.infer<typeof pipelineSettingSchema>;

/** What an admin can change. */
export const settingsValuesSchema = z.object({
  /** Variance of a deal's recent scores above which it is flagged as volatile (0–1, on probabilities). */
  varianceThreshold: z.number().min(0).max(1),
  /** A deal is stalled when its time in stage exceeds this percentile of won deals' time in that stage. */
  stalledDealPercentile: z.number().int().min(50).max(99),
  /** Days without logged activity after which a company counts as lonely. */
  lonelyWindowDays: z.number().int().min(1).max(365),
  retrainingCron: cronSchema,
  /** Property names the models must not use (e.g. fields reps fill in after the fact). */
  excludedProperties: z.array(z.string().min(1).max(200)).max(500),
  pipelines: z.array(pipelineSettingSchema).max(100),
});
export type SettingsValues = z.infer<typeof settingsValuesSchema>;

/** The four models the settings page reports on, in the order it shows them. */
export const modelTargetSchema = z.enum(['contact_close_90d', 'contact_fit', 'deal_win_at_creation', 'deal_win_after_proposal']);
export type ModelTargetName = z.infer<typeof modelTargetSchema>;

export const modelAccuracySchema = z.object({
  target: modelTargetSchema,
  /** 'portal': trained on this portal; 'prior': the shipped starting model (too little data yet); 'not_trained': none. */
  source: z.enum(['portal', 'prior', 'not_trained']),
  version: z.number().int().nullable(),
  /** Hold-out AUC, ECE (expected calibration error, 0 = perfectly calibrated) and hold-out size; nulls when unknown. */
  auc: z.number().min(0).max(1).nullable(),
  ece: z.number().min(0).max(1).nullable(),
  holdoutRows: z.number().int().min(0).nullable(),
  lastTrainedAt: isoDateTimeSchema.nullable(),
  /** The model card's drift warning (inputs shifted, or probabilities off on the newest records); null when none. */
  driftWarning: z.string().nullable(),
  /**
   * AUC on each held-out record's first snapshot (as it was created), where later activity cannot flatter it,
   * and whether it shows the history predicts outcomes at all (its 90% lower bound above 0.55). Absent when
   * unmeasured (priors, models trained before the check).
   */
  firstSnapshotAuc: z.number().min(0).max(1).optional(),
  predictive: z.boolean().optional(),
});
export type ModelAccuracy = z.infer<typeof modelAccuracySchema>;

export const settingsResponseSchema = z.object({
  values: settingsValuesSchema,
  /**
   * Pipelines with no first-proposal stage (none chosen, none named like a proposal): until the admin chooses
   * one, the after-proposal model waits and their deals are scored by the at-creation model.
   */
  needsFirstProposalStage: z.array(z.string()).default([]),
  /** The portal's deal pipelines and stages so the page can offer choices (read-only). */
  availablePipelines: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      /** `closed`: Closed Won / Closed Lost (from the CRM's stage metadata); never a first-proposal stage. */
      stages: z.array(z.object({ id: z.string(), label: z.string(), closed: z.boolean() })),
    }),
  ),
  /** Every input the models may use, standard and custom, that the page offers for exclusion (read-only). */
  availableProperties: z.array(
    z.object({ name: z.string(), label: z.string(), objectType: z.enum(['deal', 'contact', 'company', 'owner', 'activity']) }),
  ),
  /** Each model's held-out accuracy (read-only): one entry per model, "not_trained" until it exists. */
  models: z.array(modelAccuracySchema),
});
export type SettingsResponse = z.infer<typeof settingsResponseSchema>;
