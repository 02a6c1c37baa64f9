import { z } from 'zod';

/**
 * Shapes shared by every card response. The server validates its responses with these schemas
 * before sending, and the cards validate again on arrival: one definition, two checks.
 */

/** A calibrated probability in percent (0–100), never a bare 0–1 fraction on the wire. */
export const percentSchema = z.number().min(0).max(100);

export const isoDateTimeSchema = z.iso.datetime({ offset: true });
export const isoDateSchema = z.iso.date();

export const reasonSchema = z.object({
  direction: z.enum(['positive', 'negative']),
  /** A sentence a rep can read, e.g. "No activity in 21 days — deals like this usually stall." */
  sentence: z.string().min(1).max(500),
  /** The model feature behind it, for admins and for grouping. */
  feature: z.string().min(1).max(200),
});
export type Reason = z.infer<typeof reasonSchema>;

/** What pressing the action does, machine-readable so the card can act without parsing the sentence. */
export const machineActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('create_task'), title: z.string().min(1).max(200), dueDate: isoDateSchema }),
  /** Advice with nothing to automate (e.g. "Add a second contact from the buying committee"). */
  z.object({ type: z.literal('advice') }),
]);
export type MachineAction = z.infer<typeof machineActionSchema>;

export const nextActionSchema = z.object({
  id: z.string().min(1).max(100),
  sentence: z.string().min(1).max(500),
  severity: z.enum(['high', 'medium', 'low']),
  action: machineActionSchema,
});
export type NextAction = z.infer<typeof nextActionSchema>;

export const modelInfoSchema = z.object({
  version: z.string().min(1).max(100),
  /** The model in words for a rep, e.g. "Win chance at creation, trained on 1,140 of your deals, 12 Nov". */
  name: z.string().min(1).max(200).optional(),
  /** 'prior' means the portal has too little history yet and scores come from the built-in prior model. */
  source: z.enum(['portal', 'prior']),
  /**
   * Held-out AUC of this model on this portal, when it has been measured: on each held-out record's first
   * snapshot (as it was created), where later activity cannot flatter it.
   */
  auc: z.number().min(0).max(1).optional(),
  /**
   * False when the portal's closed history does not predict its outcomes yet (the AUC's 90% lower bound is at
   * or below 0.55): the card says so instead of presenting the number as a forecast. Absent when unmeasured.
   */
  predictive: z.boolean().optional(),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

/**
 * What changed since the previous score. `points` is the probability change in percentage points; a
 * mover's `points` is the change that factor alone would have made to the previous probability (the model
 * stores contributions in log-odds, converted at the previous score), so movers need not sum to `points`.
 */
export const scoreChangeSchema = z
  .object({
    points: z.number().min(-100).max(100),
    /** When the previous score was taken. */
    since: isoDateTimeSchema,
    movers: z.array(z.object({ label: z.string().min(1).max(500), points: z.number().min(-100).max(100) })).max(3),
  })
  .nullable();
export type ScoreChange = z.infer<typeof scoreChangeSchema>;

/**
 * "What would raise it": up to three changes a rep can make, each with the model's estimate of the new
 * probability (percent) if done and the estimated change in points. An estimate from rescoring the record
 * with that change applied, not a promise; the card labels it so.
 */
export const wouldRaiseSchema = z
  .array(
    z.object({
      action: z.enum(['log_call', 'book_meeting', 'send_email', 'update_close_date']),
      label: z.string().min(1).max(200),
      estimate: z.number().min(0).max(100),
      points: z.number().min(0).max(100),
    }),
  )
  .max(3);
export type WouldRaise = z.infer<typeof wouldRaiseSchema>;

export const priorityTierSchema = z.enum(['very_high', 'high', 'medium', 'low']);
export type PriorityTier = z.infer<typeof priorityTierSchema>;

/** The record's name in the CRM (deal name, contact's full name, company name), for the card's title. */
export const recordNameSchema = z.string().max(500).optional();

/** A record the backend knows but has not scored (yet), with the reason in words. */
export const notScoredSchema = z.object({
  state: z.literal('not_scored'),
  id: z.string().regex(/^\d+$/),
  name: recordNameSchema,
  message: z.string().min(1).max(500),
});
export type NotScored = z.infer<typeof notScoredSchema>;

/** Every error the card API returns has this body (never data). */
export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const CARD_OBJECT_TYPES = ['deals', 'contacts', 'companies'] as const;
export const cardObjectTypeSchema = z.enum(CARD_OBJECT_TYPES);
export type CardObjectType = z.infer<typeof cardObjectTypeSchema>;
