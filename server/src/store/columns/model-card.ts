import { z } from 'zod';

/** What `models.card` holds: the features a model reads, its hold-out metrics and where it came from. */
export const featureInfoSchema = z.object({
  name: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  source: z.string(),
  label: z.string(),
});

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
  })
  .passthrough();

export type StoredCard = z.infer<typeof storedCardSchema>;
