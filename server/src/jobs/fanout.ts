import type { Kysely } from 'kysely';
import type { Logger } from '../logging/logger.ts';
import type { Database } from '../store/schema.ts';
import type { ScheduledJobType } from './job-types.ts';
import type { Enqueue } from './registry.ts';

/** Active portals, the ones schedules run for. */
export async function listActiveTenantIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('tenants').select('id').where('status', '=', 'active').orderBy('id').execute();
  return rows.map((r) => r.id);
}

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
