import { ClosewiseError } from '../errors/errors.ts';
import type { PortalLocks } from '../jobs/portal-locks.ts';
import { scoreRecords, scoreTenant } from '../scoring/index.ts';
import type { ObjectType } from '../store/schema.ts';
import type { UseCaseDeps } from './deps.ts';
import { type WriteBackOutcome, writeBackPending } from './write-back-pending.ts';

/** What to rescore: some records of one type (a card click, a webhook), or the whole tenant (the nightly job). */
export type RescoreScope = { kind: 'records'; objectType: ObjectType; externalIds: string[] } | { kind: 'tenant' };

export interface RescoreOptions {
  /** The moment scoring treats as now (the wall clock; a sandbox portal's fixed "now" in the demo and tests). */
  now: Date;
  /**
   * 'now' (default): write what changed in the scope back to the CRM and mark it written, in this call.
   * 'later': only score; the caller schedules the write-back (the tenant job shards it over workers).
   */
  writeBack?: 'now' | 'later';
  /** When the written scores count as written; default `now`. */
  writtenAt?: Date;
  signal?: AbortSignal;
  /** Scoring's steps, for a tenant scope (the demo's progress lines); a record scope is too quick to report. */
  onProgress?: (step: string, done: number, total: number) => void;
  /**
   * One rescore per tenant at a time for callers outside the job engine (the engine already holds the portal
   * for its jobs): the lock is taken on `rescore:<tenantId>`, waiting up to `waitMs`.
   */
  exclusive?: { locks: PortalLocks; waitMs: number };
}

export interface RescoreOutcome {
  scoredAt: Date;
  /** Null when the write-back was left to the caller (`writeBack: 'later'`). */
  writeBack: WriteBackOutcome | null;
}

function inScope(scope: RescoreScope): ((write: { objectType: ObjectType; externalId: string }) => boolean) | undefined {
  if (scope.kind === 'tenant') return undefined;
  const wanted = new Set(scope.externalIds);
  return (write) => write.objectType === scope.objectType && wanted.has(write.externalId);
}

async function run(deps: UseCaseDeps, tenantId: string, scope: RescoreScope, options: RescoreOptions): Promise<RescoreOutcome> {
  const { now } = options;
  // Record scopes score only those records, from the stored portal context and their own rows (scoreRecords).
  if (scope.kind === 'records')
    await scoreRecords(deps.db, tenantId, { now, objectType: scope.objectType, externalIds: scope.externalIds });
  else await scoreTenant(deps.db, tenantId, { now, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  if (options.writeBack === 'later') return { scoredAt: now, writeBack: null };
  const filter = inScope(scope);
  const writeBack = await writeBackPending(deps, tenantId, {
    ...(filter ? { filter } : {}),
    // A record scope reads only its own pending writes: a click must not cost a read of every score.
    ...(scope.kind === 'records' ? { records: { objectType: scope.objectType, externalIds: scope.externalIds } } : {}),
    writtenAt: options.writtenAt ?? now,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { scoredAt: now, writeBack };
}

/**
 * The one rescore → write back → mark written path: the HubSpot card's "Rescore now", the Salesforce rescore
 * endpoint, webhook-driven rescoring and the rescore jobs all come here. Only the scope's scores are written
 * (other pending scores wait for the write-back job), so a click costs one record, not the tenant.
 */
export async function rescoreScope(
  deps: UseCaseDeps,
  tenantId: string,
  scope: RescoreScope,
  options: RescoreOptions,
): Promise<RescoreOutcome> {
  if (!options.exclusive) return run(deps, tenantId, scope, options);
  const hold = await options.exclusive.locks.acquire(`rescore:${tenantId}`, {
    waitMs: options.exclusive.waitMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!hold) throw new ClosewiseError('CONFLICT', 'Another rescore of this account is still running; try again in a moment.');
  try {
    return await run(deps, tenantId, scope, options);
  } finally {
    await hold.release();
  }
}
