import { z } from 'zod';
import { isoDateTimeSchema, percentSchema, recordNameSchema } from './common.ts';

/**
 * Records whose outcome is known: a closed deal and a contact who became a customer. Closewise no longer
 * scores them, so the card shows the outcome and the last score made before it (how the forecast looked),
 * and nothing to rescore.
 */

/** A score Closewise stored while the record was still open. */
export const lastScoreSchema = z.object({
  /** In percent, like every probability on the wire. */
  probability: percentSchema,
  scoredAt: isoDateTimeSchema,
});
export type LastScore = z.infer<typeof lastScoreSchema>;

export const dealClosedSchema = z.object({
  state: z.literal('closed'),
  id: z.string().regex(/^\d+$/),
  name: recordNameSchema,
  outcome: z.enum(['won', 'lost']),
  /** The closing stage's name in the CRM, e.g. "Closed Won". */
  stageLabel: z.string().min(1).max(200),
  /** When the deal closed; null when the CRM records no close date. */
  closedAt: isoDateTimeSchema.nullable(),
  /** The last win probability stored before the close; null when Closewise never scored the deal while it was open. */
  lastScoreBeforeClose: lastScoreSchema.nullable(),
});
export type DealClosed = z.infer<typeof dealClosedSchema>;

export const contactCustomerSchema = z.object({
  state: z.literal('customer'),
  id: z.string().regex(/^\d+$/),
  name: recordNameSchema,
  /** When the contact's lifecycle stage became customer; null when the CRM history does not say. */
  customerSince: isoDateTimeSchema.nullable(),
  /** The last close likelihood stored before then; null when Closewise never scored the contact before. */
  lastScoreBeforeCustomer: lastScoreSchema.nullable(),
});
export type ContactCustomer = z.infer<typeof contactCustomerSchema>;
