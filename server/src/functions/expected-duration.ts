import type { Kysely } from 'kysely';
import type { JobType } from '../jobs/job-types.ts';
import type { Database } from '../store/schema.ts';

/** Runs looked at: recent enough to follow a portal's growth, enough to smooth one slow run out of the way. */
const RECENT_RUNS = 5;

/**
 * How long a job of this type is expected to take: the longest of its last few completed runs in the run
 * log (any portal), or null when none has completed yet.
 */
export async function expectedDurationMs(db: Kysely<Database>, type: JobType): Promise<number | null> {
  const runs = await db
    .selectFrom('job_runs')
    .select(['started_at', 'ended_at'])
    .where('job_type', '=', type)
    .where('outcome', '=', 'completed')
    .where('ended_at', 'is not', null)
    .orderBy('id', 'desc')
    .limit(RECENT_RUNS)
    .execute();
  if (runs.length === 0) return null;
  return Math.max(...runs.map((r) => new Date(r.ended_at ?? r.started_at).getTime() - new Date(r.started_at).getTime()));
}
