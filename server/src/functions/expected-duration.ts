import type { Kysely } from 'kysely';
import type { JobType } from '../jobs/job-types.ts';
import type { Database } from '../store/schema.ts';
import { recentCompletedRuns } from '../store/tables/job-runs.ts';

/** Runs looked at: recent enough to follow a portal's growth, enough to smooth one slow run out of the way. */
const RECENT_RUNS = 5;

/**
 * How long a job of this type is expected to take: the longest of its last few completed runs in the run
 * log (any portal), or null when none has completed yet.
 */
export async function expectedDurationMs(db: Kysely<Database>, type: JobType): Promise<number | null> {
  const runs = await recentCompletedRuns(db, type, RECENT_RUNS);
  if (runs.length === 0) return null;
  return Math.max(...runs.map((r) => new Date(r.ended_at ?? r.started_at).getTime() - new Date(r.started_at).getTime()));
}
