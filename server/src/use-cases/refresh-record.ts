import { ConfigError } from '../errors/errors.ts';
import type { ObjectType } from '../store/schema.ts';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import type { UseCaseDeps } from './deps.ts';

/** Reads one record again from the tenant's CRM into the store (a webhook said it changed); false when the CRM no longer has it. */
export async function refreshTenantRecord(
  deps: UseCaseDeps,
  tenantId: string,
  objectType: ObjectType,
  externalId: string,
): Promise<boolean> {
  const connector = await deps.connectors.forTenant(tenantId);
  if (!connector.refreshRecord) throw new ConfigError(`Closewise cannot refresh single ${connector.crm} records`);
  try {
    return await connector.refreshRecord(createStoreSyncSink(deps.db, tenantId), objectType, externalId);
  } finally {
    await connector.close?.();
  }
}
