import { z } from 'zod';

/**
 * What a stored score carries in `scores.details`: everything a card needs (tier, grade, trend, reasons,
 * ranked next actions, the model that produced it) and what write-back sends. The store parses it through
 * this schema when it reads the column, so no reader casts it.
 */

/** The `scores.score_kind` of each object type's headline score. */
export const SCORE_KINDS = { deal: 'deal_win', contact: 'contact_close_90d', company: 'account_engagement' } as const;

const reasonSchema = z.object({
  source: z.string(),
  direction: z.enum(['positive', 'negative', 'neutral']),
  impact: z.number(),
  text: z.string(),
});

const actionRecordSchema = z.object({ objectType: z.enum(['contact', 'company', 'deal']), externalId: z.string() });

/** The machine-readable part of a next action: what a connector or the UI can perform. */
export const machineActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('create_task'), title: z.string(), dueDate: z.string(), record: actionRecordSchema }),
  z.object({ type: z.literal('update_property'), property: z.string(), reason: z.string(), record: actionRecordSchema }),
  z.object({ type: z.literal('create_deal'), title: z.string(), record: actionRecordSchema }),
]);
export type MachineAction = z.infer<typeof machineActionSchema>;

export const nextActionSchema = z.object({
  id: z.string(),
  sentence: z.string(),
  severity: z.enum(['high', 'medium', 'low']),
  action: machineActionSchema,
});
export type StoredNextAction = z.infer<typeof nextActionSchema>;

export const writeFieldsSchema = z.object({
  winProbability: z.number().optional(),
  dealScore: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).optional(),
  likelihoodToClose: z.number().optional(),
  priority: z.enum(['very_high', 'high', 'medium', 'low']).optional(),
  leadGrade: z.string().optional(),
  engagementLevel: z.enum(['high', 'medium', 'lonely']).optional(),
  trend: z.enum(['up', 'steady', 'down']).optional(),
  topReasons: z.string().optional(),
  nextAction: z.string().optional(),
});
export type WriteFields = z.infer<typeof writeFieldsSchema>;

export const scoreDetailsSchema = z.object({
  kind: z.string(),
  probability: z.number(),
  /** 0..100, the number a rep sees. */
  score: z.number(),
  tier: z.string().nullable(),
  dealScore: z.number().nullable().default(null),
  grade: z.string().nullable().default(null),
  trend: z.enum(['up', 'steady', 'down']),
  previousProbability: z.number().nullable(),
  /** Each point keeps its per-source contributions (log-odds), so the next score can say what moved. */
  history: z
    .array(z.object({ probability: z.number(), scoredAt: z.string(), contributions: z.record(z.string(), z.number()).optional() }))
    .default([]),
  /** "What changed" since the previous score; null on a first score or one without stored contributions. */
  change: z
    .object({
      points: z.number(),
      since: z.string(),
      movers: z.array(z.object({ source: z.string(), label: z.string(), points: z.number() })),
    })
    .nullable()
    .default(null),
  /**
   * "What would raise it": up to three changes a rep can make, each with the model's estimate of the
   * probability once done (scoring/would-raise.ts). Empty when none would raise it by a point or more.
   */
  raise: z
    .array(
      z.object({
        action: z.enum(['log_call', 'book_meeting', 'send_email', 'update_close_date']),
        label: z.string(),
        probability: z.number(),
        points: z.number(),
      }),
    )
    .default([]),
  reasons: z.array(reasonSchema),
  nextActions: z.array(nextActionSchema),
  model: z.object({ id: z.number(), version: z.number(), source: z.enum(['portal', 'prior']), target: z.string() }).nullable(),
  /** "prior" scores are flagged to the user: the portal has too little history for its own model yet. */
  flags: z.array(z.string()).default([]),
  dataQuality: z.array(z.string()).default([]),
  facts: z.record(z.string(), z.unknown()).default({}),
  write: writeFieldsSchema,
  written: writeFieldsSchema.nullable().default(null),
});
export type ScoreDetails = z.infer<typeof scoreDetailsSchema>;
