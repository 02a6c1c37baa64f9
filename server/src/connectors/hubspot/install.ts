import { ClosewiseError } from '../../errors/errors.ts';
import { CLOSEWISE_GROUP, CLOSEWISE_PROPERTIES, type HubSpotObjectType, type PropertyDefinition } from './closewise-properties.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { hubSpotErrorMessage, hubSpotErrorStatus } from './hubspot-client.ts';

export class InstallConflictError extends ClosewiseError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

export interface InstallReport {
  created: string[];
  unchanged: string[];
}

/**
 * Creates the `closewise` group and properties where missing. Idempotent: an existing property of the same
 * type is left as it is; one of another type is never overwritten — the install stops and says which.
 */
export async function provisionProperties(api: HubSpotApi): Promise<InstallReport> {
  const report: InstallReport = { created: [], unchanged: [] };
  const missing: [HubSpotObjectType, PropertyDefinition][] = [];
  // Check everything before creating anything, so a conflict leaves the portal exactly as it was.
  for (const [objectType, definitions] of Object.entries(CLOSEWISE_PROPERTIES) as [HubSpotObjectType, PropertyDefinition[]][]) {
    const existing = new Map(
      (await api.call('standard', (c) => c.crm.properties.coreApi.getAll(objectType))).results.map((p) => [p.name, p]),
    );
    for (const definition of definitions) {
      const current = existing.get(definition.name);
      if (!current) {
        missing.push([objectType, definition]);
      } else if (current.type !== definition.type) {
        throw new InstallConflictError(
          `HubSpot ${objectType} property '${definition.name}' already exists with type '${current.type}', Closewise needs '${definition.type}'. Rename or delete that property in HubSpot, then install again; nothing was changed.`,
        );
      } else {
        report.unchanged.push(`${objectType}.${definition.name}`);
      }
    }
  }
  for (const objectType of new Set(missing.map(([type]) => type))) await ensureGroup(api, objectType);
  for (const [objectType, definition] of missing) {
    await api.call('standard', (c) =>
      c.crm.properties.coreApi.create(objectType, { ...definition, groupName: CLOSEWISE_GROUP.name, formField: false } as never),
    );
    report.created.push(`${objectType}.${definition.name}`);
  }
  return report;
}

async function ensureGroup(api: HubSpotApi, objectType: HubSpotObjectType): Promise<void> {
  try {
    await api.call('standard', (c) => c.crm.properties.groupsApi.getByName(objectType, CLOSEWISE_GROUP.name));
  } catch (error) {
    if (hubSpotErrorStatus(error) !== 404)
      throw new ClosewiseError('UPSTREAM', `reading property groups failed: ${hubSpotErrorMessage(error)}`);
    await api.call('standard', (c) => c.crm.properties.groupsApi.create(objectType, { ...CLOSEWISE_GROUP, displayOrder: -1 }));
  }
}
