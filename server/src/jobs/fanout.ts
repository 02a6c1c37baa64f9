import type { Logger } from '../logging/logger.ts';
import type { ScheduledJobType } from './job-types.ts';
import type { Enqueue } from './registry.ts';

/**
 * What a schedule tick does: queue the job for every active portal. Portals whose job is still queued or
 * running are skipped by coalescing, so a long job is never started twice by a later tick.
 */
export async function fanOut(
  type: ScheduledJobType,
  deps: { listTenants: () => Promise<string[]>; enqueue: Enqueue; logger: Logger },
): Promise<{ queued: number; coalesced: number }> {
  const tenants = await deps.listTenants();
  let queued = 0;
  for (const tenantId of tenants) {
    const id = await deps.enqueue(type, { tenantId });
    if (id) queued += 1;
  }
  const result = { queued, coalesced: tenants.length - queued };
  deps.logger.info({ type, ...result }, 'schedule tick');
  return result;
}
