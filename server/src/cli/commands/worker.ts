import { createPostgresRateBudget, plannedLimit } from '../../jobs/rate-budget.ts';
import { loadJobSettings } from '../../jobs/settings.ts';
import { openRuntime } from '../../runtime/runtime.ts';
import { waitForStopSignal } from '../../runtime/wait-for-signal.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Work the job queues (syncs, rescoring, retraining, write-backs) on PostgreSQL until SIGTERM; run as many as needed.',
  details:
    'Needs DATABASE_URL: workers share the queues, schedules, portal holds and API budgets through PostgreSQL.\n' +
    'Schedules come from CLOSEWISE_SCHEDULE_SYNC / _RESCORE / _RETRAIN (cron, or off); they are registered once however many workers start.\n' +
    'On SIGTERM the worker takes no new job, lets running ones finish for up to --grace seconds, then releases them for another worker.',
  options: { concurrency: { type: 'string' }, grace: { type: 'string' } },
  optionHelp: {
    concurrency: 'jobs of each type this worker runs at once (default CLOSEWISE_WORKER_CONCURRENCY or 2)',
    grace: 'seconds to let running jobs finish on SIGTERM (default 30)',
  },
  async run({ values, io }) {
    const graceSeconds = values.grace === undefined ? 30 : Number(values.grace);
    if (!Number.isFinite(graceSeconds) || graceSeconds < 0)
      throw new UsageError(`--grace must be a number of seconds, got '${values.grace}'`);
    const env = values.concurrency === undefined ? io.env : { ...io.env, CLOSEWISE_WORKER_CONCURRENCY: String(values.concurrency) };
    // Settings first: a bad cron expression is reported before anything connects.
    const settings = loadJobSettings(env);
    const runtime = await openRuntime(io.env);
    const databaseUrl = runtime.config.DATABASE_URL;
    if (runtime.store.engine !== 'postgres' || !databaseUrl) {
      await runtime.close();
      io.stderr.write(
        'closewise worker: needs PostgreSQL (set DATABASE_URL); with the embedded store, `closewise serve` runs the jobs itself.\n',
      );
      return 2;
    }
    // Loaded on use: scoring and pg-boss are heavy, and every other command would pay for them.
    const [{ createRuntimeHandlers }, { PgBossEngine }] = await Promise.all([
      import('../../jobs/real-handlers.ts'),
      import('../../jobs/pg-boss-engine.ts'),
    ]);
    const db = runtime.store.db;
    const budget = createPostgresRateBudget(db, plannedLimit(settings.portalBudget, settings.portalBudget.safety));
    const engine = new PgBossEngine({
      databaseUrl,
      db,
      handlers: createRuntimeHandlers(runtime, budget),
      settings,
      logger: runtime.logger,
    });
    try {
      await engine.start();
    } catch (error) {
      await engine.stop({ graceMs: 0 }).catch(() => undefined);
      await runtime.close();
      throw error;
    }
    io.stdout.write(
      `Closewise worker ${process.pid} working the queues (concurrency ${settings.concurrency} per job type); SIGTERM to stop\n`,
    );
    const signal = await waitForStopSignal();
    io.stdout.write(`${signal}: finishing running jobs (up to ${graceSeconds} s), then releasing the rest\n`);
    await engine.stop({ graceMs: graceSeconds * 1000 });
    await runtime.close();
    io.stdout.write('worker stopped\n');
    return 0;
  },
};
