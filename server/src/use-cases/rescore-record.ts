import { RateLimitedError } from '../connectors/errors.ts';
import { readRecordInsights } from '../scoring/index.ts';
import type { ObjectType } from '../store/schema.ts';
import type { UseCaseDeps } from './deps.ts';
import { type RescoreOptions, rescoreScope } from './rescore-scope.ts';
import type { WriteBackOutcome } from './write-back-pending.ts';

/** What one record's rescore came to, for callers that answer a person (the Salesforce card's button). */
export type RecordRescore =
  /** Closewise gives this record no score (closed, converted or deleted): nothing to show or write. */
  | { kind: 'not_scored' }
  /** Scored, but the CRM's API budget is spent: the write stays pending until it resets. */
  | { kind: 'rate_limited'; resumeAt: Date | null }
  | { kind: 'written'; scoredAt: Date; writeBack: WriteBackOutcome };

/**
 * Rescores one record through the one rescore path and writes its fields back if they changed. A spent
 * budget is an outcome here, not an error: the record's new score is in the store either way, and whether
 * it is scored at all is the first thing the caller says.
 */
export async function rescoreRecord(
  deps: UseCaseDeps,
  tenantId: string,
  record: { objectType: ObjectType; externalId: string },
  options: RescoreOptions,
): Promise<RecordRescore> {
  let rateLimited: RateLimitedError | undefined;
  let outcome: Awaited<ReturnType<typeof rescoreScope>> | undefined;
  try {
    outcome = await rescoreScope(
      deps,
      tenantId,
      { kind: 'records', objectType: record.objectType, externalIds: [record.externalId] },
      options,
    );
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    rateLimited = error;
  }
  if (!(await readRecordInsights(deps.db, tenantId, record.objectType, record.externalId))) return { kind: 'not_scored' };
  if (rateLimited || !outcome?.writeBack) return { kind: 'rate_limited', resumeAt: rateLimited?.resumeAt ?? null };
  return { kind: 'written', scoredAt: outcome.scoredAt, writeBack: outcome.writeBack };
}
