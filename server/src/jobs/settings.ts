import { validateDetailed } from 'node-cron';
import { z } from 'zod';
import { BadInputError } from '../errors/errors.ts';

/** 'off' disables a schedule; anything else must be a cron expression both engines accept. */
const cron = z.string().superRefine((value, ctx) => {
  if (value === 'off') return;
  const fields = value.trim().split(/\s+/);
  // pg-boss's schedules take 5 fields (minute precision); node-cron also takes 6. Only the seconds-free
  // form is portable between the engines, except in tests of the embedded engine.
  if (fields.length < 5 || fields.length > 6) {
    ctx.addIssue({ code: 'custom', message: `invalid cron expression '${value}': expected 5 fields (minute hour day month weekday)` });
    return;
  }
  const result = validateDetailed(value);
  if (!result.valid) {
    const detail = result.errors.map((e) => `${e.field} ${e.value ?? ''}: ${e.message}`.trim()).join('; ');
    ctx.addIssue({ code: 'custom', message: `invalid cron expression '${value}'${detail ? ` (${detail})` : ''}` });
  }
});

export const jobSettingsSchema = z
  .object({
    schedules: z
      .object({
        /** Incremental sync of every active portal. */
        sync: cron.default('*/15 * * * *'),
        /** Full rescoring, nightly. */
        rescore: cron.default('0 2 * * *'),
        /** Retraining, weekly (Sunday night). */
        retrain: cron.default('0 3 * * 0'),
      })
      .strict()
      .default({ sync: '*/15 * * * *', rescore: '0 2 * * *', retrain: '0 3 * * 0' }),
    /** IANA time zone the schedules are read in. */
    timezone: z.string().min(1).default('UTC'),
    /** Jobs a process runs at once: per job type in a pg-boss worker, in total in the embedded engine. */
    concurrency: z.number().int().min(1).max(64).default(2),
    /** The portal's API budget shared by all workers: HubSpot allows 110 requests per 10 s per portal. */
    portalBudget: z
      .object({
        requests: z.number().int().min(1).default(110),
        windowMs: z.number().int().min(100).default(10_000),
        /**
         * Share of the limit the workers plan to use. Requests are granted a moment before they reach the
         * CRM, whose rolling window is not ours to the millisecond: a few requests of slack keep it at zero 429s.
         */
        safety: z.number().min(0.5).max(1).default(0.95),
      })
      .strict()
      .default({ requests: 110, windowMs: 10_000, safety: 0.95 }),
  })
  .strict();

export type JobSettings = z.infer<typeof jobSettingsSchema>;
export type JobSettingsInput = z.input<typeof jobSettingsSchema>;

/** Validates job settings; the error names the offending field (e.g. `schedules.sync`). */
export function parseJobSettings(input: unknown): JobSettings {
  const parsed = jobSettingsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'settings';
    throw new BadInputError(`Invalid job setting ${field}: ${issue?.message ?? 'invalid value'}`, { field });
  }
  return parsed.data;
}

/** Environment variables that override the job settings, by field. */
export const JOB_SETTING_ENV = {
  'schedules.sync': 'CLOSEWISE_SCHEDULE_SYNC',
  'schedules.rescore': 'CLOSEWISE_SCHEDULE_RESCORE',
  'schedules.retrain': 'CLOSEWISE_SCHEDULE_RETRAIN',
  timezone: 'CLOSEWISE_SCHEDULE_TZ',
  concurrency: 'CLOSEWISE_WORKER_CONCURRENCY',
} as const;

/** Job settings from the environment; a bad value names both the field and its variable. */
export function loadJobSettings(env: NodeJS.ProcessEnv): JobSettings {
  const schedules: Record<string, string> = {};
  const input: Record<string, unknown> = {};
  for (const [field, variable] of Object.entries(JOB_SETTING_ENV)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    if (field.startsWith('schedules.')) schedules[field.slice('schedules.'.length)] = value;
    else if (field === 'concurrency') input.concurrency = Number(value);
    else input[field] = value;
  }
  if (Object.keys(schedules).length > 0) input.schedules = schedules;
  try {
    return parseJobSettings(input);
  } catch (error) {
    if (error instanceof BadInputError) {
      const field = (error.details as { field?: string } | undefined)?.field ?? '';
      const variable = JOB_SETTING_ENV[field as keyof typeof JOB_SETTING_ENV];
      if (variable) throw new BadInputError(`${error.message} (set by ${variable})`, { field, variable });
    }
    throw error;
  }
}
