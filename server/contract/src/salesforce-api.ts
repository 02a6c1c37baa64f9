import { z } from 'zod';

/** The wire shapes ClosewiseController.cls deserializes; every answer is parsed through one of these. */
export const modelStatusSchema = z.object({
  activatedAt: z.iso.datetime().nullable(),
  version: z.number().int().positive().nullable(),
});

export const reasonsSchema = z.array(z.object({ label: z.string().min(1), impact: z.string().min(1) }));

export const taskSuggestionSchema = z.object({
  subject: z.string().min(1).max(255),
  description: z.string().max(32_000),
  dueDate: z.iso.date(),
});

export const rescoreResultSchema = z.object({
  scoredAt: z.iso.datetime(),
  /** Records sent to Salesforce in this call (this record, when its score fields changed). */
  written: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type RescoreResult = z.infer<typeof rescoreResultSchema>;
