import { z } from 'zod';
import { wouldRaiseSchema } from './card-api/common.ts';

/** The wire shapes ClosewiseController.cls deserializes; every answer is parsed through one of these. */
export const modelStatusSchema = z.object({
  activatedAt: z.iso.datetime().nullable(),
  version: z.number().int().positive().nullable(),
});

export const reasonsSchema = z.array(z.object({ label: z.string().min(1), impact: z.string().min(1) }));

/**
 * "What changed" for the Salesforce cards, one shape always (Apex deserializes into a fixed class): on a
 * first score `changed` is false and the rest empty. Points are probability points; a mover's points are what
 * that factor alone would have changed (contributions are stored in log-odds).
 */
export const scoreChangeResponseSchema = z.object({
  changed: z.boolean(),
  points: z.number().nullable(),
  since: z.iso.datetime({ offset: true }).nullable(),
  movers: z.array(z.object({ label: z.string().min(1), points: z.number() })).max(3),
});
export type ScoreChangeResponse = z.infer<typeof scoreChangeResponseSchema>;

/**
 * "What would raise it" for the Salesforce cards, one shape always (Apex deserializes into a fixed class):
 * up to three rep actions, each with the model's estimate (percent) if done today and its points; the list is
 * empty when the record is not scored, is closed (or a customer), or nothing would raise it by a point.
 */
export const wouldRaiseResponseSchema = z.object({ suggestions: wouldRaiseSchema });
export type WouldRaiseResponse = z.infer<typeof wouldRaiseResponseSchema>;

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
