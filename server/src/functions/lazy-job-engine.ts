import type { JobEngine } from '../jobs/engine.ts';
import type { JobPayloads, JobType } from '../jobs/job-types.ts';
import type { FunctionQueue } from './function-queue.ts';

/**
 * The JobEngine the HTTP function hands its routers: a webhook's rescoring and a new install's first sync
 * go to the shared pg-boss queues (the drain function runs them). pg-boss starts on the first enqueue.
 */
export function lazyJobEngine(queue: FunctionQueue): JobEngine {
  return {
    kind: 'pg-boss',
    async start() {
      await queue.engine();
    },
    async enqueue<T extends JobType>(type: T, payload: JobPayloads[T]) {
      return (await queue.engine()).enqueue(type, payload);
    },
    stop: () => queue.stop(),
  };
}
