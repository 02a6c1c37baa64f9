import { z } from 'zod';
import { isoDateSchema } from './common.ts';

/**
 * Bodies of the card's action requests. Every action carries an idempotency key the card creates
 * once per click: hubspot.fetch retries once on 5xx, and a retried "Create task" must not make two tasks.
 */
const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/);

export const createTaskRequestSchema = z.object({
  idempotencyKey: idempotencyKeySchema,
  actionId: z.string().min(1).max(100),
  title: z.string().min(1).max(200),
  dueDate: isoDateSchema,
});
export type CreateTaskRequest = z.infer<typeof createTaskRequestSchema>;

export const createTaskResponseSchema = z.object({
  taskId: z.string().min(1),
  /** false when this idempotency key had already created the task (a replay). */
  created: z.boolean(),
  /**
   * Whether the task is assigned to the user who clicked (their HubSpot owner record). false: HubSpot has no owner
   * record for them, so the task is unassigned. Absent when the request named no user (or was stored before).
   */
  assignedToYou: z.boolean().optional(),
});
export type CreateTaskResponse = z.infer<typeof createTaskResponseSchema>;

export const snoozeRequestSchema = z.object({
  idempotencyKey: idempotencyKeySchema,
  actionId: z.string().min(1).max(100),
  until: isoDateSchema,
});
export type SnoozeRequest = z.infer<typeof snoozeRequestSchema>;

export const snoozeResponseSchema = z.object({ actionId: z.string(), until: isoDateSchema });
export type SnoozeResponse = z.infer<typeof snoozeResponseSchema>;

export const rescoreRequestSchema = z.object({ idempotencyKey: idempotencyKeySchema });
export type RescoreRequest = z.infer<typeof rescoreRequestSchema>;
