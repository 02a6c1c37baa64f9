import type { RescoreResult } from '@closewise/contract';
import type { Kysely } from 'kysely';
import type { ScoreWrite } from '../../connectors/connector.ts';
import type { SalesforceWriteBackResult } from '../../connectors/salesforce/write-back.ts';
import { ClosewiseError, UpstreamError } from '../../errors/errors.ts';
import { markScoresWritten, pendingScoreWrites, readRecordInsights, scoreTenant } from '../../scoring/index.ts';
import type { Database } from '../../store/schema.ts';
import type { RecordParams } from './params.ts';

/** What rescoring needs of the connector: the Salesforce write-back (change-only, per-record failures). */
export interface ScoreWriter {
  writeScores(writes: ScoreWrite[]): Promise<SalesforceWriteBackResult>;
}

export interface RescoreDeps {
  db: Kysely<Database>;
  connectorFor(tenantId: string): Promise<ScoreWriter>;
  now: () => Date;
}

/**
 * Two reps pressing "Rescore now" in one org at once share one run: scoring a tenant twice in parallel would
 * only race on the same score rows. (In-process only; the jobs' portal locks do not cover this path yet.)
 */
const running = new Map<string, Promise<{ at: Date; result: SalesforceWriteBackResult; failed: Set<string> }>>();

async function rescoreAndWrite(deps: RescoreDeps, tenantId: string) {
  const at = deps.now();
  await scoreTenant(deps.db, tenantId, { now: at });
  const writes = await pendingScoreWrites(deps.db, tenantId);
  // Nothing changed: no connector, no API call (not even /limits).
  const result: SalesforceWriteBackResult =
    writes.length === 0
      ? { written: 0, failed: [], unchanged: 0, deferred: 0, calls: 0, budgetExhausted: false }
      : await (await deps.connectorFor(tenantId)).writeScores(writes);
  const failed = new Set(result.failed.map((f) => f.externalId));
  // After a budget stop we cannot tell which records were sent: mark none, the next run re-checks them
  // against Salesforce's current values (change-only), so nothing is sent twice for nothing.
  if (!result.budgetExhausted) {
    await markScoresWritten(
      deps.db,
      tenantId,
      writes.filter((w) => !failed.has(w.externalId)),
      new Date(),
    );
  }
  return { at, result, failed };
}

/**
 * Rescores the tenant, writes every changed score back to Salesforce, and answers once this record's
 * fields are written (or already held these values). Rerunning it changes nothing that was not stale.
 */
export async function rescoreRecord(deps: RescoreDeps, tenantId: string, record: RecordParams): Promise<RescoreResult> {
  let run = running.get(tenantId);
  if (!run) {
    run = rescoreAndWrite(deps, tenantId).finally(() => running.delete(tenantId));
    running.set(tenantId, run);
  }
  const { at, result, failed } = await run;
  const insights = await readRecordInsights(deps.db, tenantId, record.objectType, record.externalId);
  if (!insights) {
    throw new ClosewiseError(
      'CONFLICT',
      `Closewise does not score this ${record.object}: closed opportunities, converted leads and deleted records get no score.`,
    );
  }
  if (failed.has(record.externalId)) {
    const message = result.failed.find((f) => f.externalId === record.externalId)?.message ?? 'unknown error';
    throw new UpstreamError(`Salesforce refused the score fields of this ${record.object}: ${message}`);
  }
  if (result.budgetExhausted) {
    throw new ClosewiseError(
      'RATE_LIMITED',
      "Salesforce's daily API budget for Closewise is used up; the score is written when it resets.",
    );
  }
  return { scoredAt: at.toISOString(), written: result.written, unchanged: result.unchanged, failed: result.failed.length };
}
