import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createTask, type ScheduledTask } from 'node-cron';
import { type Logger, silentLogger } from '../logging/logger.ts';
import type { Database } from '../store/schema.ts';
import { selectActiveTenantIds } from '../store/tables/tenants.ts';
import { defaultWorkerName, type JobEngine } from './engine.ts';
import { executeJob, validatePayload } from './execute-job.ts';
import { fanOut } from './fanout.ts';
import { InvalidJobPayloadError } from './job-errors.ts';
import { coalesceKey, type JobPayloads, type JobType, jobTypePolicies, SCHEDULED_JOB_TYPES } from './job-types.ts';
import { createMemoryPortalLocks, type PortalLocks } from './portal-locks.ts';
import type { EnqueueOptions, JobHandlers } from './registry.ts';
import { failDeadRunsEvery, type RunLeaseTiming, RunLog } from './run-log.ts';
import type { JobSettings } from './settings.ts';
import { RETRAIN_TICK_CRON, tenantsDueForRetrain } from './tenant-schedules.ts';

/** How often a delayed job re-reads the clock while it waits. */
const DELAYED_RECHECK_MS = 1_000;

export interface InProcessEngineOptions {
  db: Kysely<Database>;
  handlers: JobHandlers;
  settings: JobSettings;
  logger?: Logger;
  worker?: string;
  /** Defaults to in-memory holds: one process is the only worker. */
  locks?: PortalLocks;
  listTenants?: () => Promise<string[]>;
  /** First retry delay; doubled on each attempt (with jitter), capped at 10 minutes. */
  retryDelayMs?: number;
  holdWaitMs?: number;
  /** How an open run in the log proves this process alive (see run-log.ts). */
  runLease?: RunLeaseTiming;
  /** How often the per-portal retraining schedules are checked; every minute (tests tick every second). */
  retrainTickCron?: string;
  /** The clock `startAfter` is measured with (tests run it ahead of the wall clock). */
  now?: () => number;
}

interface QueuedJob {
  id: string;
  type: JobType;
  data: JobPayloads[JobType];
  attempt: number;
  key: string | null;
}

export interface DeadLetter {
  id: string;
  type: JobType;
  data: unknown;
  reason: string;
  at: Date;
}

/**
 * The embedded engine: node-cron schedules and an in-memory queue in the serving process.
 * Jobs of a coalescing type are keyed (type + portal): while one is queued or running, ticks and
 * enqueues for the same key are dropped, so a job longer than its interval never runs twice at once.
 * Nothing survives a restart but the schedules, which fire again.
 */
export class InProcessEngine implements JobEngine {
  readonly kind = 'in-process' as const;
  readonly deadLetters: DeadLetter[] = [];
  readonly #options: InProcessEngineOptions;
  readonly #logger: Logger;
  readonly #locks: PortalLocks;
  readonly #runLog: RunLog;
  readonly #queue: QueuedJob[] = [];
  readonly #keys = new Set<string>();
  readonly #running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #tasks: ScheduledTask[] = [];
  #stopSweeping: () => void = () => undefined;
  #stopping = false;
  #started = false;

  constructor(options: InProcessEngineOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#locks = options.locks ?? createMemoryPortalLocks();
    this.#runLog = new RunLog(options.db, options.runLease);
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const { settings } = this.#options;
    for (const type of SCHEDULED_JOB_TYPES) {
      // Retraining runs on each portal's own schedule: its tick runs every minute and picks the due portals.
      const cron = type === 'retrain' ? (this.#options.retrainTickCron ?? RETRAIN_TICK_CRON) : settings.schedules[type];
      if (cron === 'off') continue;
      const task = createTask(cron, () => this.#tick(type), { timezone: settings.timezone, name: `closewise-${type}`, noOverlap: true });
      await task.start();
      this.#tasks.push(task);
    }
    // The runs of a previous life of this process (killed mid-job) read as failed once their lease is over.
    this.#stopSweeping = failDeadRunsEvery(this.#runLog, this.#options.runLease?.renewMs ?? 10_000, (error) =>
      this.#logger.warn({ err: error }, 'closing dead runs failed'),
    );
    this.#logger.info({ schedules: settings.schedules }, 'in-process job engine started');
  }

  async #tick(type: (typeof SCHEDULED_JOB_TYPES)[number]): Promise<void> {
    if (this.#stopping) return;
    const { db, settings } = this.#options;
    const at = new Date();
    const active = this.#options.listTenants ?? (() => selectActiveTenantIds(db));
    const listTenants = type === 'retrain' ? async () => tenantsDueForRetrain(db, await active(), at, settings) : active;
    await fanOut(type, { listTenants, enqueue: (t, p) => this.enqueue(t, p), logger: this.#logger }).catch((error: unknown) =>
      this.#logger.error({ err: error, type }, 'schedule tick failed'),
    );
  }

  async enqueue<T extends JobType>(type: T, payload: JobPayloads[T], options: EnqueueOptions = {}): Promise<string | null> {
    if (this.#stopping) return null;
    const data = validatePayload(type, payload);
    const now = this.#options.now ?? Date.now;
    const startAt = options.startAfter?.getTime() ?? 0;
    if (startAt > now()) {
      // Queued when its time comes, so it coalesces then (the job that asked for it is over by that time). The
      // time is re-read from the engine's clock at least every second, so a clock that jumps (a test's, or a
      // machine waking from sleep) starts it on time rather than after the delay measured at enqueue.
      const wait = () => {
        if (this.#stopping) return;
        const remainingMs = startAt - now();
        if (remainingMs > 0) {
          const timer = setTimeout(
            () => {
              this.#timers.delete(timer);
              wait();
            },
            Math.min(remainingMs, DELAYED_RECHECK_MS),
          );
          this.#timers.add(timer);
          return;
        }
        void this.enqueue(type, data).catch((error: unknown) => this.#logger.error({ err: error, type }, 'delayed enqueue failed'));
      };
      wait();
      return `delayed:${randomUUID()}`;
    }
    const key = jobTypePolicies[type].coalesce ? `${type}:${coalesceKey(type, data)}` : null;
    if (key && this.#keys.has(key)) return null;
    if (key) this.#keys.add(key);
    const job: QueuedJob = { id: randomUUID(), type, data, attempt: 0, key };
    this.#queue.push(job);
    this.#pump();
    return job.id;
  }

  /** Jobs waiting, by type (for status and tests). */
  queueDepth(): number {
    return this.#queue.length;
  }

  #pump(): void {
    while (!this.#stopping && this.#running.size < this.#options.settings.concurrency && this.#queue.length > 0) {
      const job = this.#queue.shift() as QueuedJob;
      const abort = new AbortController();
      const done = this.#run(job, abort.signal).finally(() => {
        this.#running.delete(job.id);
        this.#pump();
      });
      this.#running.set(job.id, { abort, done });
    }
  }

  async #run(job: QueuedJob, signal: AbortSignal): Promise<void> {
    const policy = jobTypePolicies[job.type];
    const finalAttempt = job.attempt >= policy.retryLimit;
    try {
      await executeJob(
        {
          handlers: this.#options.handlers,
          locks: this.#locks,
          runLog: this.#runLog,
          logger: this.#logger,
          worker: this.#options.worker ?? defaultWorkerName(),
          enqueue: (type, payload, options) => this.enqueue(type, payload, options),
          holdWaitMs: this.#options.holdWaitMs ?? 5000,
        },
        { id: job.id, type: job.type, data: job.data, attempt: job.attempt, finalAttempt, signal },
      );
      if (job.key) this.#keys.delete(job.key);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof InvalidJobPayloadError || finalAttempt || signal.aborted) {
        if (job.key) this.#keys.delete(job.key);
        if (!signal.aborted) this.deadLetters.push({ id: job.id, type: job.type, data: job.data, reason, at: new Date() });
        this.#logger.error({ jobId: job.id, type: job.type, reason }, signal.aborted ? 'job released at shutdown' : 'job dead-lettered');
        return;
      }
      const base = this.#options.retryDelayMs ?? 5000;
      const delay = Math.min(600_000, base * 2 ** job.attempt * (1 + Math.random() / 2));
      this.#logger.warn({ jobId: job.id, type: job.type, reason, retryInMs: Math.round(delay) }, 'job failed; will retry');
      // The key stays taken while the retry waits: the retry is the job's one pending run.
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#queue.push({ ...job, attempt: job.attempt + 1 });
        this.#pump();
      }, delay);
      this.#timers.add(timer);
    }
  }

  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.#stopping = true;
    this.#stopSweeping();
    for (const task of this.#tasks) await task.destroy();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#queue.length = 0;
    const running = [...this.#running.values()];
    const all = Promise.allSettled(running.map((r) => r.done));
    const grace = new Promise<'timeout'>((resolve) => {
      const t = setTimeout(() => resolve('timeout'), options.graceMs ?? 30_000);
      t.unref();
    });
    if ((await Promise.race([all, grace])) === 'timeout') {
      for (const r of running) r.abort.abort(new Error('shutting down'));
      await all;
    }
    await this.#locks.close();
  }
}
