import type { RescoreResult } from '@closewise/contract';
import { ClosewiseError, UpstreamError } from '../../errors/errors.ts';
import type { PortalLocks } from '../../jobs/portal-locks.ts';
import { withinCrmDeadline } from '../../use-cases/crm-deadline.ts';
import { rescoreRecord as rescoreOneRecord, type UseCaseDeps } from '../../use-cases/index.ts';
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
  // The Apex callout waits on this: a Salesforce that is down answers 502 within the deadline, not 500 after 16 s.
  const result = await withinCrmDeadline('Salesforce', `rescoring ${record.object} ${record.externalId}`, () =>
    rescoreOneRecord(
      deps,
      tenantId,
      { objectType: record.objectType, externalId: record.externalId },
      { now: deps.now(), writtenAt: new Date(), exclusive: { locks: deps.locks, waitMs: RESCORE_WAIT_MS } },
    ),
  );
  if (result.kind === 'not_scored') {
    throw new ClosewiseError(
      'CONFLICT',
      `Closewise does not score this ${record.object}: closed opportunities, converted leads and deleted records get no score.`,
    );
  }
  if (result.kind === 'rate_limited') {
    throw new ClosewiseError(
      'RATE_LIMITED',
      "Salesforce's daily API budget for Closewise is used up; the score is written when it resets.",
    );
  }
  const { writeBack, scoredAt } = result;
  const refused = writeBack.failed.find((f) => f.externalId === record.externalId);
  if (refused) throw new UpstreamError(`Salesforce refused the score fields of this ${record.object}: ${refused.message}`);
  return { scoredAt: scoredAt.toISOString(), written: writeBack.written, unchanged: writeBack.unchanged, failed: writeBack.failed.length };
}
