import type { Kysely } from 'kysely';
import { type JobResult, type JobWithMetadata, PgBoss, type Queue } from 'pg-boss';
import { type Logger, silentLogger } from '../logging/logger.ts';
import type { Database } from '../store/schema.ts';
import { selectActiveTenantIds } from '../store/tables/tenants.ts';
import { defaultWorkerName, type JobEngine } from './engine.ts';
import { executeJob, validatePayload } from './execute-job.ts';
import { fanOut } from './fanout.ts';
import { InvalidJobPayloadError } from './job-errors.ts';
import {
  coalesceKey,
  isJobType,
  JOB_TYPES,
  type JobPayloads,
  type JobType,
  jobTypePolicies,
  SCHEDULED_JOB_TYPES,
  type ScheduledJobType,
} from './job-types.ts';
import { createAdvisoryPortalLocks, defaultHoldLeaseTiming, type HoldLeaseTiming, type PortalLocks } from './portal-locks.ts';
import type { EnqueueOptions, JobHandlers } from './registry.ts';
import { defaultRunLeaseTiming, failDeadRunsEvery, type RunLeaseTiming, RunLog } from './run-log.ts';
import type { JobSettings } from './settings.ts';
import { RETRAIN_TICK_CRON, tenantsDueForRetrain } from './tenant-schedules.ts';

/** Queue names. Portal jobs have one queue per type; schedule ticks and dead letters have their own. */
export const QUEUE_PREFIX = 'closewise-';
export const FANOUT_QUEUE = `${QUEUE_PREFIX}schedule`;
export const DEAD_LETTER_QUEUE = `${QUEUE_PREFIX}dead-letter`;
export const queueOf = (type: JobType) => `${QUEUE_PREFIX}${type}`;
export const typeOfQueue = (queue: string): JobType | null => {
  const name = queue.startsWith(QUEUE_PREFIX) ? queue.slice(QUEUE_PREFIX.length) : '';
  return isJobType(name) ? name : null;
};

/** Timings, tunable so tests need not wait minutes for a dead worker's job to come back. */
export interface PgBossTuning {
  pollingIntervalSeconds: number;
  /** Workers heartbeat each job; a job whose worker stopped heartbeating (killed) is retried after this. */
  heartbeatSeconds: number;
  superviseIntervalSeconds: number;
  /** First retry delay; pg-boss doubles it with jitter on each retry (capped by retryDelayMaxSeconds). */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  holdWaitMs: number;
  /** How an open run in the log proves its worker alive (a dead worker's run is closed as failed after `leaseMs`). */
  runLease: RunLeaseTiming;
  /** How a portal hold proves its worker alive (PostgreSQL frees a silent holder's portal after `leaseMs`). */
  holdLease: HoldLeaseTiming;
}

// A killed worker's job is noticed within heartbeat + supervise interval (25 s) rather than a minute.
export const defaultPgBossTuning: PgBossTuning = {
  pollingIntervalSeconds: 2,
  heartbeatSeconds: 15,
  superviseIntervalSeconds: 10,
  retryDelaySeconds: 15,
  retryDelayMaxSeconds: 600,
  holdWaitMs: 10_000,
  runLease: defaultRunLeaseTiming,
  holdLease: defaultHoldLeaseTiming,
};

export interface PgBossEngineOptions {
  databaseUrl: string;
  db: Kysely<Database>;
  handlers: JobHandlers;
  settings: JobSettings;
  logger?: Logger;
  worker?: string;
  tuning?: Partial<PgBossTuning>;
  /** Work the queues (a worker) or only produce jobs and register schedules (an API process). Default true. */
  work?: boolean;
  /** Register the schedules (idempotent: every worker may, one schedule row results). Default true. */
  registerSchedules?: boolean;
  listTenants?: () => Promise<string[]>;
  /** How often the per-portal retraining schedules are checked; every minute (tests tick every second). */
  retrainTickCron?: string;
}

/** What the fan-out queue carries: pg-boss's cron sends `{ type }`; `at` pins the minute (a replay, a test). */
interface FanOutJob {
  type: ScheduledJobType;
  at?: string;
}

/**
 * The distributed engine: pg-boss 12 on the store's PostgreSQL, worked by any number of `closewise worker`
 * processes. Per-portal singletons come from two layers: each coalescing queue has the `exclusive` policy
 * keyed by portal (one job per portal queued or active), and portal-holding jobs take a PostgreSQL advisory
 * lock, so a sync and a retrain of one portal never run at once either.
 */
export class PgBossEngine implements JobEngine {
  readonly kind = 'pg-boss' as const;
  readonly boss: PgBoss;
  readonly #options: PgBossEngineOptions;
  readonly #tuning: PgBossTuning;
  readonly #logger: Logger;
  readonly #locks: PortalLocks;
  readonly #runLog: RunLog;
  #stopSweeping: () => void = () => undefined;
  #started = false;

  constructor(options: PgBossEngineOptions) {
    this.#options = options;
    this.#tuning = { ...defaultPgBossTuning, ...options.tuning };
    this.#logger = options.logger ?? silentLogger;
    // One connection per held portal: at most `concurrency` jobs of each portal-holding type run at once.
    const holdingTypes = JOB_TYPES.filter((t) => jobTypePolicies[t].holdsPortal).length;
    this.#locks = createAdvisoryPortalLocks(options.databaseUrl, options.settings.concurrency * holdingTypes, this.#tuning.holdLease);
    this.#runLog = new RunLog(options.db, this.#tuning.runLease);
    this.boss = new PgBoss({
      connectionString: options.databaseUrl,
      // pg-boss only elects one instance per tick for cron and maintenance, so every worker may run them.
      schedule: options.registerSchedules !== false,
      supervise: true,
      superviseIntervalSeconds: this.#tuning.superviseIntervalSeconds,
      monitorIntervalSeconds: this.#tuning.superviseIntervalSeconds,
      cronWorkerIntervalSeconds: 5,
      instanceName: options.worker ?? defaultWorkerName(),
      // pg-boss's statements are short (fetch, heartbeat, complete); a few connections serve many slots,
      // and every worker's pools count against PostgreSQL's max_connections.
      max: Math.max(4, options.settings.concurrency + 4),
    });
    // pg-boss reports what failed in its loops (a fetch, a heartbeat, a lost connection) here and carries on;
    // without a listener the first lost connection would crash the process.
    this.boss.on('error', (error) => this.#logger.error({ err: error }, 'pg-boss error'));
  }

  #queueOptions(type: JobType): Omit<Queue, 'name'> {
    const policy = jobTypePolicies[type];
    return {
      policy: policy.coalesce ? 'exclusive' : 'standard',
      retryLimit: policy.retryLimit,
      retryDelay: this.#tuning.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: this.#tuning.retryDelayMaxSeconds,
      expireInSeconds: policy.expireInSeconds,
      heartbeatSeconds: this.#tuning.heartbeatSeconds,
      deadLetter: DEAD_LETTER_QUEUE,
    };
  }

  async #ensureQueue(name: string, options: Omit<Queue, 'name'>): Promise<void> {
    const existing = await this.boss.getQueue(name);
    if (!existing) {
      try {
        await this.boss.createQueue(name, options);
        return;
      } catch (error) {
        // Another worker created it a moment ago.
        if (!(await this.boss.getQueue(name))) throw error;
      }
    }
    const { policy: _policy, deadLetter, ...mutable } = options;
    await this.boss.updateQueue(name, { ...mutable, deadLetter: deadLetter ?? null });
  }

  /**
   * pg-boss keeps finished jobs (and dead letters for 30 days) with their payloads; a record-rescore job names
   * its records. Deleted here, in pg-boss's own table (`pgboss.job`, the library's default schema).
   */
  async forgetRecord(tenantId: string, objectType: string, externalId: string): Promise<number> {
    const result = await this.boss
      .getDb()
      .executeSql(
        `DELETE FROM pgboss.job WHERE data->>'tenantId' = $1 AND data->>'objectType' = $2 AND data->'externalIds' @> jsonb_build_array($3::text) RETURNING id`,
        [tenantId, objectType, externalId],
      );
    return result.rows.length;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.boss.start();
    await this.#ensureQueue(DEAD_LETTER_QUEUE, { policy: 'standard', deleteAfterSeconds: 30 * 86_400, retentionSeconds: 30 * 86_400 });
    await this.#ensureQueue(FANOUT_QUEUE, { policy: 'standard', retryLimit: 2, expireInSeconds: 600 });
    for (const type of JOB_TYPES) await this.#ensureQueue(queueOf(type), this.#queueOptions(type));
    if (this.#options.registerSchedules !== false) await this.#registerSchedules();
    if (this.#options.work !== false) {
      await this.#work();
      // Any live worker closes the runs of dead ones; every worker may, the update is idempotent.
      this.#stopSweeping = failDeadRunsEvery(this.#runLog, this.#tuning.runLease.renewMs, (error) =>
        this.#logger.warn({ err: error }, 'closing dead workers’ runs failed'),
      );
    }
    this.#logger.info({ worker: this.#options.worker ?? defaultWorkerName() }, 'pg-boss job engine started');
  }

  /** schedule() upserts by (queue, key): however many workers call it, one schedule per job type exists. */
  async #registerSchedules(): Promise<void> {
    const { schedules, timezone } = this.#options.settings;
    for (const type of SCHEDULED_JOB_TYPES) {
      // Retraining runs on each portal's own schedule: its tick runs every minute and picks the due portals.
      const cron = type === 'retrain' ? (this.#options.retrainTickCron ?? RETRAIN_TICK_CRON) : schedules[type];
      if (cron === 'off') await this.boss.unschedule(FANOUT_QUEUE, type);
      else await this.boss.schedule(FANOUT_QUEUE, cron, { type }, { key: type, tz: timezone });
    }
  }

  async #work(): Promise<void> {
    const { settings } = this.#options;
    const { db } = this.#options;
    const active = this.#options.listTenants ?? (() => selectActiveTenantIds(db));
    await this.boss.work<FanOutJob>(
      FANOUT_QUEUE,
      { pollingIntervalSeconds: this.#tuning.pollingIntervalSeconds, includeMetadata: true },
      async (jobs) => {
        // includeMetadata is set above; the overloads lose that when options are inferred.
        const [job] = jobs as JobWithMetadata<FanOutJob>[];
        if (!job || !(SCHEDULED_JOB_TYPES as readonly string[]).includes(job.data.type)) return;
        // The occurrence's minute is when pg-boss's cron sent it, not when a worker got to it.
        const at = job.data.at ? new Date(job.data.at) : job.createdOn;
        const listTenants = job.data.type === 'retrain' ? async () => tenantsDueForRetrain(db, await active(), at, settings) : active;
        await fanOut(job.data.type, { listTenants, enqueue: (t, p) => this.enqueue(t, p), logger: this.#logger });
      },
    );
    for (const type of JOB_TYPES) {
      if (!this.#options.handlers[type]) continue;
      await this.boss.work<unknown>(
        queueOf(type),
        {
          includeMetadata: true,
          perJobResults: true,
          batchSize: 1,
          localConcurrency: settings.concurrency,
          pollingIntervalSeconds: this.#tuning.pollingIntervalSeconds,
        },
        // includeMetadata is set above; the overloads lose that when options are inferred.
        async (jobs) => Promise.all((jobs as JobWithMetadata<unknown>[]).map((job) => this.#runOne(type, job))),
      );
    }
  }

  async #runOne(type: JobType, job: JobWithMetadata<unknown>): Promise<JobResult> {
    try {
      await executeJob(
        {
          handlers: this.#options.handlers,
          locks: this.#locks,
          runLog: this.#runLog,
          logger: this.#logger,
          worker: this.#options.worker ?? defaultWorkerName(),
          enqueue: (t, p, o) => this.enqueue(t, p, o),
          holdWaitMs: this.#tuning.holdWaitMs,
        },
        { id: job.id, type, data: job.data, attempt: job.retryCount, finalAttempt: job.retryCount >= job.retryLimit, signal: job.signal },
      );
      return { id: job.id, status: 'completed' };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // A payload that fails validation fails the same way every time: straight to the dead-letter queue.
      if (error instanceof InvalidJobPayloadError) return { id: job.id, status: 'deadletter', output: { reason } };
      return { id: job.id, status: 'failed', output: { reason } };
    }
  }

  async enqueue<T extends JobType>(type: T, payload: JobPayloads[T], options: EnqueueOptions = {}): Promise<string | null> {
    const data = validatePayload(type, payload);
    const policy = jobTypePolicies[type];
    if (options.startAfter) {
      // Sent by the job it follows (still active under the plain key, which the exclusive policy would refuse):
      // its own key per start time, so it queues once, and coalescing resumes when it runs.
      const key = `${coalesceKey(type, data)}@${options.startAfter.toISOString()}`;
      return this.boss.send(queueOf(type), data, { startAfter: options.startAfter, ...(policy.coalesce ? { singletonKey: key } : {}) });
    }
    return this.boss.send(queueOf(type), data, policy.coalesce ? { singletonKey: coalesceKey(type, data) } : {});
  }

  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.#stopSweeping();
    if (this.#started) await this.boss.stop({ graceful: true, timeout: options.graceMs ?? 30_000 });
    await this.#locks.close();
  }
}
