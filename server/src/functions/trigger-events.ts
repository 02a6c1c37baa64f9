import { z } from 'zod';

/**
 * What a scheduled invocation says about when it fired. EventBridge Scheduler passes the target input we
 * configure (docs/deploy/aws-sam.yaml sends `{"scheduledTime": "<aws.scheduler.scheduled-time>"}`); an
 * EventBridge rule sends its event with `time`; Cloud Scheduler sends the X-CloudScheduler-ScheduleTime
 * header. Anything else (a manual invocation) ticks for the current minute.
 */
const scheduledEvent = z.looseObject({
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  time: z.iso.datetime({ offset: true }).optional(),
  /** Drain only: a smaller budget than configured (manual runs, tests). */
  budgetSeconds: z.number().int().min(1).max(900).optional(),
});

export type ScheduledEvent = z.infer<typeof scheduledEvent>;

export function parseScheduledEvent(input: unknown): ScheduledEvent {
  const parsed = scheduledEvent.safeParse(input ?? {});
  return parsed.success ? parsed.data : {};
}

export function firedAt(event: ScheduledEvent, header?: string): Date {
  const value = header ?? event.scheduledTime ?? event.time;
  const at = value ? new Date(value) : new Date();
  return Number.isNaN(at.getTime()) ? new Date() : at;
}
