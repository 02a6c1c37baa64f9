import type { Logger } from '../logging/logger.ts';
import type { JobPayloads, JobType } from './job-types.ts';

/** What a handler gets besides its payload. */
export interface JobContext {
  jobId: string;
  type: JobType;
  /** 0 on the first attempt. */
  attempt: number;
  /** Aborted when the engine gives the job up (shutdown grace over, claim lost): stop at the next safe point. */
  signal: AbortSignal;
  logger: Logger;
  /** Queues a follow-up job (e.g. a full rescoring queues its write-back shards). */
  enqueue: Enqueue;
}

/** `startAfter`: not before then (a sync the CRM's daily limit stopped resumes at the limit's reset). */
export interface EnqueueOptions {
  startAfter?: Date;
}

export type Enqueue = <T extends JobType>(type: T, payload: JobPayloads[T], options?: EnqueueOptions) => Promise<string | null>;

export type JobHandler<T extends JobType> = (payload: JobPayloads[T], context: JobContext) => Promise<void>;

/**
 * The handlers an engine runs, injected: production wires them to the connectors and scoring
 * (real-handlers.ts), tests to small real handlers of their own. A type without a handler is not worked.
 */
export type JobHandlers = { [T in JobType]?: JobHandler<T> };
