import type { ScoreWrite, WriteBackResult } from '../connectors/connector.ts';
import { markScoresWritten, pendingScoreWrites } from '../scoring/index.ts';
import type { ObjectType } from '../store/schema.ts';
import type { UseCaseDeps } from './deps.ts';

export interface WriteBackOptions {
  /** Only these of the tenant's pending writes (a rescored scope, a write-back shard); default all. */
  filter?: (write: ScoreWrite) => boolean;
  /** Only these records' pending writes, read as such (a rescored scope: nothing proportional to the portal). */
  records?: { objectType: ObjectType; externalIds: readonly string[] };
  /** When the writes count as written; default the wall clock. */
  writtenAt?: Date;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface WriteBackOutcome extends WriteBackResult {
  /** The writes that were due (sent or found unchanged or failed). */
  writes: ScoreWrite[];
}

/**
 * Writes the tenant's pending scores to its CRM and marks the ones that made it, so only changed scores are
 * ever sent. Records the CRM refused stay pending and are reported in `failed`. Rejects with RateLimitedError
 * (connectors/errors.ts) when the CRM's allowance ran out mid-way: which records made it is then unknown, so
 * none is marked, and the next run sends only those whose values still differ (write-back is change-only).
 * With nothing pending, no connector is built and no API call is made.
 */
export async function writeBackPending(deps: UseCaseDeps, tenantId: string, options: WriteBackOptions = {}): Promise<WriteBackOutcome> {
  const pending = await pendingScoreWrites(deps.db, tenantId, options.records);
  const writes = options.filter ? pending.filter(options.filter) : pending;
  if (writes.length === 0) return { writes, written: 0, unchanged: 0, failed: [] };
  const connector = await deps.connectors.forTenant(tenantId, options.signal ? { signal: options.signal } : {});
  try {
    const onProgress = options.onProgress;
    const result = await connector.writeScores(writes, onProgress ? (done) => onProgress(done, writes.length) : undefined);
    const failed = new Set(result.failed.map((f) => f.externalId));
    await markScoresWritten(
      deps.db,
      tenantId,
      writes.filter((w) => !failed.has(w.externalId)),
      options.writtenAt ?? new Date(),
    );
    return { writes, written: result.written, unchanged: result.unchanged, failed: result.failed };
  } finally {
    await connector.close?.();
  }
}

/** How many of the tenant's scores wait to be written (the rescore job sizes its write-back shards by it). */
export async function countPendingWrites(deps: UseCaseDeps, tenantId: string): Promise<number> {
  return (await pendingScoreWrites(deps.db, tenantId)).length;
}
