import { z } from 'zod';
import { contactCustomerSchema } from './closed-record.ts';
import {
  isoDateTimeSchema,
  modelInfoSchema,
  nextActionSchema,
  notScoredSchema,
  percentSchema,
  priorityTierSchema,
  reasonSchema,
  recordNameSchema,
  scoreChangeSchema,
  wouldRaiseSchema,
} from './common.ts';

/** Lead grade = fit letter (A best … D) × engagement digit (1 best … 4), e.g. "B2". */
export const leadGradeSchema = z
  .object({
    grade: z.string().regex(/^[A-D][1-4]$/),
    fit: z.enum(['A', 'B', 'C', 'D']),
    engagement: z.number().int().min(1).max(4),
    /** Sentences explaining the fit and the engagement parts. */
    why: z.array(z.string().min(1).max(500)).min(1).max(6),
  })
  .refine((g) => g.grade === `${g.fit}${g.engagement}`, { message: 'grade must be fit letter followed by engagement digit' });

export const contactScoredSchema = z.object({
  state: z.literal('scored'),
  id: z.string().regex(/^\d+$/),
  name: recordNameSchema,
  /** Calibrated chance the contact becomes a customer within 90 days, in percent. */
  closeLikelihood90d: percentSchema,
  /** Quartile of the likelihood within the portal, like HubSpot's own contact priority. */
  priorityTier: priorityTierSchema,
  leadGrade: leadGradeSchema,
  /** Null on a first score. Optional so older backends still validate. */
  change: scoreChangeSchema.optional(),
  /** Estimates; empty when no change a rep can make would raise it by a point. Optional for older backends. */
  raise: wouldRaiseSchema.optional(),
  reasons: z.array(reasonSchema).max(10),
  nextActions: z.array(nextActionSchema).max(10),
  model: modelInfoSchema,
  scoredAt: isoDateTimeSchema,
});

export const contactCardSchema = z.discriminatedUnion('state', [contactScoredSchema, contactCustomerSchema, notScoredSchema]);
export type ContactCardData = z.infer<typeof contactCardSchema>;
export type ContactScored = z.infer<typeof contactScoredSchema>;
