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

export const settingsResponseSchema = z.object({
  values: settingsValuesSchema,
  /** The portal's pipelines and stages so the page can offer choices (read-only). */
  availablePipelines: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      stages: z.array(z.object({ id: z.string(), label: z.string() })),
    }),
  ),
  /** Properties the page offers for exclusion (read-only). */
  availableProperties: z.array(z.object({ name: z.string(), label: z.string() })),
  /** The current model's held-out accuracy (read-only); nulls until a model has been trained. */
  modelAccuracy: z.object({
    modelVersion: z.string().nullable(),
    auc: z.number().min(0).max(1).nullable(),
    /** Expected calibration error, 0 = perfectly calibrated. */
    ece: z.number().min(0).max(1).nullable(),
    lastTrainedAt: isoDateTimeSchema.nullable(),
  }),
});
export type SettingsResponse = z.infer<typeof settingsResponseSchema>;
