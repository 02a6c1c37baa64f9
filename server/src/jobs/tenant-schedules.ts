import type { Kysely } from 'kysely';
import { createTask } from 'node-cron';
import { z } from 'zod';
import type { Database } from '../store/schema.ts';
import { selectSettingsOfTenants } from '../store/tables/settings.ts';
import type { JobSettings } from './settings.ts';

/**
 * Retraining follows each portal's own schedule (saved on the settings page under
 * `tenants.settings.jobs.schedules.retrain`); the process's `schedules.retrain` is the default for portals
 * that saved none. So the engines tick every minute and queue a retrain only for the portals whose
 * schedule matches that minute; the schedules are read on every tick, so a saved change applies at once.
 */
export const RETRAIN_TICK_CRON = '* * * * *';

const savedRetrainSchema = z
  .object({
    jobs: z
      .object({ schedules: z.object({ retrain: z.string().optional() }).loose().optional() })
      .loose()
      .optional(),
  })
  .loose()
  .catch({});

/** The minute an occurrence belongs to: a tick a few seconds late still counts for its minute. */
export const minuteOf = (at: Date): Date => new Date(Math.floor(at.getTime() / 60_000) * 60_000);

/** Whether a cron expression fires in this minute, read in the time zone. */
export function cronMatches(cron: string, minute: Date, timezone: string): boolean {
  // Never started: createTask only parses, and match() reads the expression in the task's time zone.
  const task = createTask(cron, () => undefined, { timezone });
  try {
    return task.match(minuteOf(minute));
  } catch {
    return false;
  } finally {
    void task.destroy();
  }
}

/** The portals among `tenantIds` whose retraining schedule fires in the minute of `at`. */
export async function tenantsDueForRetrain(
  db: Kysely<Database>,
  tenantIds: string[],
  at: Date,
  defaults: Pick<JobSettings, 'schedules' | 'timezone'>,
): Promise<string[]> {
  const settings = await selectSettingsOfTenants(db, tenantIds);
  const verdicts = new Map<string, boolean>();
  return tenantIds.filter((tenantId) => {
    const saved = savedRetrainSchema.parse(settings.get(tenantId) ?? {}).jobs?.schedules?.retrain;
    const cron = saved ?? defaults.schedules.retrain;
    if (cron === 'off') return false;
    let due = verdicts.get(cron);
    if (due === undefined) {
      due = cronMatches(cron, at, defaults.timezone);
      verdicts.set(cron, due);
    }
    return due;
  });
}
