import { describe, expect, it } from 'vitest';
import { BadInputError } from '../errors/errors.ts';
import { loadJobSettings, parseJobSettings } from './settings.ts';

describe('job settings', () => {
  it('defaults to sync every 15 minutes, nightly rescoring, weekly retraining', () => {
    expect(parseJobSettings({}).schedules).toEqual({ sync: '*/15 * * * *', rescore: '0 2 * * *', retrain: '0 3 * * 0' });
  });

  it.each([
    ['schedules.sync', { schedules: { sync: '61 * * * *' } }],
    ['schedules.rescore', { schedules: { rescore: 'nightly' } }],
    ['schedules.retrain', { schedules: { retrain: '0 3 * *' } }],
  ])('rejects an invalid cron expression naming %s', (field, input) => {
    expect(() => parseJobSettings(input)).toThrow(BadInputError);
    expect(() => parseJobSettings(input)).toThrow(new RegExp(`^Invalid job setting ${field.replace('.', '\\.')}: invalid cron expression`));
  });

  it('accepts off to disable a schedule', () => {
    expect(parseJobSettings({ schedules: { retrain: 'off' } }).schedules.retrain).toBe('off');
  });

  it('names the environment variable that carried a bad cron expression', () => {
    expect(() => loadJobSettings({ CLOSEWISE_SCHEDULE_SYNC: '*/15 * * * * * *' })).toThrow(/schedules\.sync.*CLOSEWISE_SCHEDULE_SYNC/);
    expect(loadJobSettings({ CLOSEWISE_SCHEDULE_SYNC: '*/5 * * * *', CLOSEWISE_WORKER_CONCURRENCY: '4' })).toMatchObject({
      schedules: { sync: '*/5 * * * *' },
      concurrency: 4,
    });
  });

  it('rejects unknown fields instead of ignoring a typo', () => {
    expect(() => parseJobSettings({ schedules: { snyc: '* * * * *' } })).toThrow(/schedules/);
  });
});
