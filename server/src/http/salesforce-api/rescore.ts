import type { RescoreResult } from '@closewise/contract';
import { RateLimitedError } from '../../connectors/errors.ts';
import { ClosewiseError, UpstreamError } from '../../errors/errors.ts';
import type { PortalLocks } from '../../jobs/portal-locks.ts';
import { readRecordInsights } from '../../scoring/index.ts';
import { withinCrmDeadline } from '../../use-cases/crm-deadline.ts';
import { type RescoreOutcome, rescoreScope, type UseCaseDeps } from '../../use-cases/index.ts';
import type { RecordParams } from './params.ts';

export interface RescoreDeps extends UseCaseDeps {
  /** One rescore per org at a time, across processes on PostgreSQL (jobs/portal-locks.ts). */
  locks: PortalLocks;
  now: () => Date;
}

/** How long a second click waits for the org's running rescore (one record: normally well under this). */
const RESCORE_WAIT_MS = 10_000;

/**
 * Rescores this record, writes its Closewise fields to Salesforce if they changed, and answers once they are
 * written (or already held these values). Rerunning it changes nothing that was not stale.
 */
export async function rescoreRecord(deps: RescoreDeps, tenantId: string, record: RecordParams): Promise<RescoreResult> {
  let outcome: RescoreOutcome | undefined;
  let rateLimited: RateLimitedError | undefined;
  try {
    // The Apex callout waits on this: a Salesforce that is down answers 502 within the deadline, not 500 after 16 s.
    outcome = await withinCrmDeadline('salesforce', `rescoring ${record.object} ${record.externalId}`, () =>
      rescoreScope(
        deps,
        tenantId,
        { kind: 'records', objectType: record.objectType, externalIds: [record.externalId] },
        { now: deps.now(), writtenAt: new Date(), exclusive: { locks: deps.locks, waitMs: RESCORE_WAIT_MS } },
      ),
    );
  } catch (error) {
    // Told after the "not scored" check below: a record Closewise does not score is the answer either way.
    if (!(error instanceof RateLimitedError)) throw error;
    rateLimited = error;
  }
  const insights = await readRecordInsights(deps.db, tenantId, record.objectType, record.externalId);
  if (!insights) {
    throw new ClosewiseError(
      'CONFLICT',
      `Closewise does not score this ${record.object}: closed opportunities, converted leads and deleted records get no score.`,
    );
  }
  if (rateLimited || !outcome?.writeBack) {
    throw new ClosewiseError(
      'RATE_LIMITED',
      "Salesforce's daily API budget for Closewise is used up; the score is written when it resets.",
    );
  }
  const { writeBack, scoredAt } = outcome;
  const refused = writeBack.failed.find((f) => f.externalId === record.externalId);
  if (refused) throw new UpstreamError(`Salesforce refused the score fields of this ${record.object}: ${refused.message}`);
  return { scoredAt: scoredAt.toISOString(), written: writeBack.written, unchanged: writeBack.unchanged, failed: writeBack.failed.length };
}
