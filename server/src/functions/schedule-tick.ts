import type { Kysely } from 'kysely';
import { createTask } from 'node-cron';
import { fanOut } from '../jobs/fanout.ts';
import { SCHEDULED_JOB_TYPES, type ScheduledJobType } from '../jobs/job-types.ts';
import type { JobSettings } from '../jobs/settings.ts';
import { tenantsDueForRetrain } from '../jobs/tenant-schedules.ts';
import type { Logger } from '../logging/logger.ts';
import type { Database } from '../store/schema.ts';
import { selectActiveTenantIds } from '../store/tables/tenants.ts';
import type { FunctionQueue } from './function-queue.ts';

/** The queue whose rows record which (job type, minute) ticks already fanned out. Nobody works it. */
export const SCHEDULE_SLOT_QUEUE = 'closewise-schedule-slots';
/**
 * pg-boss keeps one job per (queue, singleton_on, singletonKey) (its unique index job_i4). With a slot this
 * long, singleton_on is one constant for decades and the key alone — job type + the tick's minute — is unique.
 */
const LEDGER_SLOT_SECONDS = 2 ** 30;

/** The minute a trigger fired for, as an ISO minute (`2025-06-01T10:15Z`), from the trigger's own timestamp. */
export function minuteSlot(at: Date): string {
  return `${at.toISOString().slice(0, 16)}Z`;
}

/** The process-wide scheduled job types (sync, rescore) whose cron expression matches this minute in the configured time zone. */
export function dueJobTypes(settings: JobSettings, slot: Date): ScheduledJobType[] {
  const minute = new Date(Math.floor(slot.getTime() / 60_000) * 60_000);
  return SCHEDULED_JOB_TYPES.filter((type) => {
    const cron = settings.schedules[type];
    // Retraining follows each portal's own schedule (runScheduleTick asks tenantsDueForRetrain).
    if (type === 'retrain' || cron === 'off') return false;
    // Never started: createTask only parses, and match() reads the expression in the task's time zone.
    const task = createTask(cron, () => undefined, { timezone: settings.timezone });
    try {
      return task.match(minute);
    } finally {
      void task.destroy();
    }
  });
}

export interface TickResult {
  slot: string;
  due: ScheduledJobType[];
  /** Per due type: jobs queued and portals whose job was already queued or running; absent when an earlier call took the slot. */
  fannedOut: Partial<Record<ScheduledJobType, { queued: number; coalesced: number }>>;
  alreadyTaken: ScheduledJobType[];
}

/**
 * One scheduler tick: for each job type due this minute, claim the (type, minute) slot in pg-boss, and only
 * the claim's winner queues the job for every active portal. Two invocations for one minute (a scheduler's
 * at-least-once delivery, a retry) therefore enqueue once; the portal jobs themselves also coalesce.
 */
export async function runScheduleTick(deps: { queue: FunctionQueue; db: Kysely<Database>; logger: Logger }, at: Date): Promise<TickResult> {
  const slot = minuteSlot(at);
  // Retraining is due when some portal's saved schedule fires this minute; the fan-out queues only those.
  const retrainTenants = await tenantsDueForRetrain(deps.db, await selectActiveTenantIds(deps.db), at, deps.queue.settings);
  const due: ScheduledJobType[] = [...dueJobTypes(deps.queue.settings, at), ...(retrainTenants.length > 0 ? (['retrain'] as const) : [])];
  const result: TickResult = { slot, due, fannedOut: {}, alreadyTaken: [] };
  if (due.length === 0) return result;
  const engine = await deps.queue.engine();
  if (!(await engine.boss.getQueue(SCHEDULE_SLOT_QUEUE))) {
    await engine.boss.createQueue(SCHEDULE_SLOT_QUEUE, { policy: 'standard' }).catch(async (error: unknown) => {
      if (!(await engine.boss.getQueue(SCHEDULE_SLOT_QUEUE))) throw error;
    });
  }
  for (const type of due) {
    const listTenants = type === 'retrain' ? async () => retrainTenants : () => selectActiveTenantIds(deps.db);
    const claim = await engine.boss.send(
      SCHEDULE_SLOT_QUEUE,
      { type, slot },
      { singletonKey: `${type}@${slot}`, singletonSeconds: LEDGER_SLOT_SECONDS },
    );
    if (!claim) {
      result.alreadyTaken.push(type);
      continue;
    }
    result.fannedOut[type] = await fanOut(type, { listTenants, enqueue: (t, p) => engine.enqueue(t, p), logger: deps.logger });
  }
  return result;
}
