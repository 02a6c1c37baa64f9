import { markOutsideEditsRepaired, selectUnrepairedOutsideEdits } from '../store/tables/crm-outside-edits.ts';
import type { UseCaseDeps } from './deps.ts';
import { type WriteBackOutcome, writeBackPending } from './write-back-pending.ts';

const keyOf = (objectType: string, externalId: string) => `${objectType}/${externalId}`;

/**
 * Writes Closewise's values back over what others changed in the CRM (the sync found the outside edits and
 * made those records pending, see store/tables/crm-outside-edits.ts), then marks the edits repaired. Only
 * those records are written, so a sync cycle never turns into a whole-portal write-back. Records the CRM
 * refused stay unrepaired and are tried again next cycle; with nothing to repair no connector is built.
 */
export async function repairOutsideEdits(
  deps: UseCaseDeps,
  tenantId: string,
  options: { signal?: AbortSignal } = {},
): Promise<WriteBackOutcome & { repaired: number }> {
  const edited = await selectUnrepairedOutsideEdits(deps.db, tenantId);
  if (edited.size === 0) return { writes: [], written: 0, unchanged: 0, failed: [], repaired: 0 };
  const outcome = await writeBackPending(deps, tenantId, {
    filter: (w) => edited.has(keyOf(w.objectType, w.externalId)),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const failed = new Set(outcome.failed.map((f) => f.externalId));
  // A record with no pending score (never scored, or written since by another job) needs nothing more.
  const repaired = [...edited].filter((key) => !failed.has(key.slice(key.indexOf('/') + 1)));
  await markOutsideEditsRepaired(deps.db, tenantId, repaired, new Date());
  return { ...outcome, repaired: repaired.length };
}
