import { z } from 'zod';

/** What `models.card` holds: the features a model reads, its hold-out metrics and where it came from. */
export const featureInfoSchema = z.object({
  name: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  source: z.string(),
  label: z.string(),
});

/** The engine's drift check (server/src/ml/drift.ts), as a card stores it. */
export const storedDriftSchema = z.object({
  checked: z.boolean(),
  newestSlice: z.object({ rows: z.number(), positives: z.number(), timeFrom: z.number().optional(), timeTo: z.number().optional() }),
  psi: z.array(z.object({ feature: z.string(), psi: z.number() })),
  newestEce: z.number(),
  eceBound: z.number(),
  warning: z.string().nullable(),
});

export type StoredDrift = z.infer<typeof storedDriftSchema>;

export const storedCardSchema = z
  .object({
    target: z.string(),
    source: z.enum(['portal', 'prior']),
    features: z.array(featureInfoSchema),
    excludedFeatures: z.array(z.object({ feature: z.string(), reason: z.string() })).default([]),
    dataQuality: z.array(z.object({ field: z.string(), issue: z.string(), count: z.number() })).default([]),
    holdout: z
      .object({
        auc: z.number().nullable(),
        ece: z.number().nullable(),
        rows: z.number(),
        positives: z.number(),
        cutoff: z.string().nullable(),
      })
      .partial()
      .default({}),
    trainedOnData: z.record(z.string(), z.unknown()).default({}),
    /** Absent on cards written before the check existed (and on shipped priors built before it). */
    drift: storedDriftSchema.optional(),
    /** Whether the history predicts outcomes (scoring/history-signal.ts); absent on priors and older cards. */
    signal: z.object({ auc: z.number(), lower: z.number(), records: z.number(), predicts: z.boolean() }).optional(),
  })
  .passthrough();

export type StoredCard = z.infer<typeof storedCardSchema>;
