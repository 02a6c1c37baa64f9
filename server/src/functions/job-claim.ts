import type { JobWithMetadata, PgBoss } from 'pg-boss';
import { z } from 'zod';

/** What pg-boss's touch/complete return at run time (typed as `{}` in its declarations). */
const commandResponse = z.object({ affected: z.number() });

/** How many jobs a pg-boss command changed: 0 means this process no longer holds the job's claim. */
export function affectedCount(response: unknown): number {
  const parsed = commandResponse.safeParse(response);
  return parsed.success ? parsed.data.affected : 0;
}

/**
 * Keeps a fetched job's claim alive while the drain runs it. Queues with `heartbeatSeconds` (jobs/pg-boss-engine.ts)
 * have pg-boss's monitor retry a job whose heartbeat went stale — right for a killed worker, wrong for a job
 * the drain is still running: `boss.work()` heartbeats for the workers, a fetched job must be touched by
 * whoever fetched it. `onLost` is called if a touch finds the claim gone (the monitor retried it anyway).
 * Returns the function that stops the heartbeat.
 */
export function keepClaim(boss: PgBoss, queue: string, job: JobWithMetadata<unknown>, onLost: () => void): () => void {
  if (!job.heartbeatSeconds) return () => undefined;
  const timer = setInterval(
    () => {
      boss
        .touch(queue, job.id)
        .then((response) => {
          if (affectedCount(response) === 0) onLost();
        })
        // A touch that could not run says nothing about the claim; the next one tries again.
        .catch(() => undefined);
    },
    (job.heartbeatSeconds * 1000) / 2,
  );
  return () => clearInterval(timer);
}
