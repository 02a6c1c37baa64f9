import type { JobPayloads, JobType } from './job-types.ts';
import type { EnqueueOptions } from './registry.ts';

/** One interface, two engines: in-process (embedded, `closewise serve`) and pg-boss (`closewise worker`). */
export interface JobEngine {
  readonly kind: 'in-process' | 'pg-boss';
  /** Registers the schedules and starts working the queues. */
  start(): Promise<void>;
  /**
   * Queues a job. Resolves to its id, or null when an equal job (same type and portal) is already queued
   * or running and the type coalesces. Rejects with InvalidJobPayloadError for a malformed payload.
   * With `startAfter` the job waits until then; it coalesces with what is queued at that time, not now.
   */
  enqueue<T extends JobType>(type: T, payload: JobPayloads[T], options?: EnqueueOptions): Promise<string | null>;
  /**
   * Stops taking jobs, lets running ones finish for up to `graceMs`, then aborts and releases them
   * (they are retried elsewhere or on the next start).
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /**
   * Deletes the stored jobs (queued, finished, dead-lettered) whose payload names this record: a privacy
   * erasure leaves no job payload behind either. Optional: the in-process engine keeps nothing after a run.
   */
  forgetRecord?(tenantId: string, objectType: string, externalId: string): Promise<number>;
}

/** A name for this process in the run log. */
export function defaultWorkerName(): string {
  return `${process.env.HOSTNAME ?? 'local'}:${process.pid}`;
}
