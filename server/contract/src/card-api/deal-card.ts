import { z } from 'zod';
import { dealClosedSchema } from './closed-record.ts';
import {
  isoDateTimeSchema,
  modelInfoSchema,
  nextActionSchema,
  notScoredSchema,
  percentSchema,
  reasonSchema,
  recordNameSchema,
  scoreChangeSchema,
  wouldRaiseSchema,
} from './common.ts';

export const dealScoredSchema = z.object({
  state: z.literal('scored'),
  id: z.string().regex(/^\d+$/),
  name: recordNameSchema,
  /** Calibrated chance the deal is won, in percent. */
  winProbability: percentSchema,
  /** 1 (weakest) to 5 (strongest): the probability's quintile within this portal's open deals. */
  dealScore: z.number().int().min(1).max(5),
  trend: z.object({
    direction: z.enum(['up', 'steady', 'down']),
    /** The previous score's probability in percent; null on the first score. */
    previousProbability: percentSchema.nullable(),
    previousScoredAt: isoDateTimeSchema.nullable(),
  }),
  /** Null on a first score. Optional so older backends still validate. */
  change: scoreChangeSchema.optional(),
  /** Estimates; empty when no change a rep can make would raise it by a point. Optional for older backends. */
  raise: wouldRaiseSchema.optional(),
  reasons: z.array(reasonSchema).max(10),
  nextActions: z.array(nextActionSchema).max(10),
  model: modelInfoSchema,
  scoredAt: isoDateTimeSchema,
});

export const dealCardSchema = z.discriminatedUnion('state', [dealScoredSchema, dealClosedSchema, notScoredSchema]);
export type DealCardData = z.infer<typeof dealCardSchema>;
export type DealScored = z.infer<typeof dealScoredSchema>;
