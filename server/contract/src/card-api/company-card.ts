import { z } from 'zod';
import {
  isoDateTimeSchema,
  modelInfoSchema,
  nextActionSchema,
  notScoredSchema,
  percentSchema,
  priorityTierSchema,
  recordNameSchema,
} from './common.ts';

export const companyScoredSchema = z.object({
  state: z.literal('scored'),
  id: z.string().regex(/^\d+$/),
  name: recordNameSchema,
  engagement: z.object({
    /** 'lonely' = no logged activity within the portal's lonely window (see settings). */
    level: z.enum(['high', 'medium', 'lonely']),
    lastActivityAt: isoDateTimeSchema.nullable(),
    activityCount30d: z.number().int().min(0),
    activityCount90d: z.number().int().min(0),
    lonelyWindowDays: z.number().int().min(1),
  }),
  openDeals: z
    .array(
      z.object({
        id: z.string().regex(/^\d+$/),
        name: z.string().max(500),
        stageLabel: z.string().max(200),
        /** null when the deal has not been scored yet. */
        winProbability: percentSchema.nullable(),
      }),
    )
    .max(50),
  contacts: z
    .array(
      z.object({
        id: z.string().regex(/^\d+$/),
        name: z.string().max(500),
        priorityTier: priorityTierSchema.nullable(),
        closeLikelihood90d: percentSchema.nullable(),
      }),
    )
    .max(50),
  nextActions: z.array(nextActionSchema).max(10),
  model: modelInfoSchema,
  scoredAt: isoDateTimeSchema,
});

export const companyCardSchema = z.discriminatedUnion('state', [companyScoredSchema, notScoredSchema]);
export type CompanyCardData = z.infer<typeof companyCardSchema>;
export type CompanyScored = z.infer<typeof companyScoredSchema>;
