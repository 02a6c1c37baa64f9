import type { CreatedCrmTask, NewCrmTask } from '../connectors/connector.ts';
import { ConfigError } from '../errors/errors.ts';
import type { ObjectType } from '../store/schema.ts';
import type { UseCaseDeps } from './deps.ts';

/** Creates the suggested task on the record in the tenant's CRM, for the user who asked: resolves to its id and owner. */
export async function createSuggestedTask(
  deps: UseCaseDeps,
  tenantId: string,
  record: { objectType: ObjectType; externalId: string },
  task: NewCrmTask,
): Promise<CreatedCrmTask> {
  const connector = await deps.connectors.forTenant(tenantId);
  if (!connector.createTask) throw new ConfigError(`Closewise cannot create tasks in ${connector.crm} yet`);
  try {
    return await connector.createTask(record.objectType, record.externalId, task);
  } finally {
    await connector.close?.();
  }
}
