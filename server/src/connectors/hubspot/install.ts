import {
  type PropertyCreate,
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { ClosewiseError } from '../../errors/errors.ts';
import { isCrmFailure } from '../errors.ts';
import { classifyHubSpotError, hubSpotTypedError } from './classify-error.ts';
import { CLOSEWISE_GROUP, CLOSEWISE_PROPERTIES, type HubSpotObjectType, type PropertyDefinition } from './closewise-properties.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { hubSpotErrorStatus } from './hubspot-client.ts';

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
 * `provisionProperties`, with a refusal said the way an admin can act on: HubSpot answers 403 when the admin
 * approved fewer scopes than the app asks for (or the app's scope list is out of date). Other failures are
 * classified at the connector's edge.
 */
export async function installClosewiseProperties(api: HubSpotApi): Promise<InstallReport> {
  try {
    return await provisionProperties(api);
  } catch (error) {
    if (isCrmFailure(error) && classifyHubSpotError(error).kind === 'forbidden') {
      throw hubSpotTypedError(error, 'HubSpot refused to let Closewise create its properties');
    }
    throw error;
  }
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
    await api.call('standard', (c) => c.crm.properties.coreApi.create(objectType, toPropertyCreate(definition)));
    report.created.push(`${objectType}.${definition.name}`);
  }
  return report;
}

const PROPERTY_TYPE: Record<PropertyDefinition['type'], PropertyCreateTypeEnum> = {
  string: PropertyCreateTypeEnum.String,
  number: PropertyCreateTypeEnum.Number,
  enumeration: PropertyCreateTypeEnum.Enumeration,
  datetime: PropertyCreateTypeEnum.Datetime,
};

const FIELD_TYPE: Record<PropertyDefinition['fieldType'], PropertyCreateFieldTypeEnum> = {
  text: PropertyCreateFieldTypeEnum.Text,
  textarea: PropertyCreateFieldTypeEnum.Textarea,
  number: PropertyCreateFieldTypeEnum.Number,
  select: PropertyCreateFieldTypeEnum.Select,
  date: PropertyCreateFieldTypeEnum.Date,
};

/** One of our definitions as the SDK's create request, in the `closewise` group and kept off forms. */
function toPropertyCreate(definition: PropertyDefinition): PropertyCreate {
  const { options, ...rest } = definition;
  return {
    ...rest,
    type: PROPERTY_TYPE[definition.type],
    fieldType: FIELD_TYPE[definition.fieldType],
    groupName: CLOSEWISE_GROUP.name,
    formField: false,
    // `hidden` is HubSpot's default spelled out: the SDK's option type requires it.
    ...(options ? { options: options.map((option) => ({ ...option, hidden: false })) } : {}),
  };
}

async function ensureGroup(api: HubSpotApi, objectType: HubSpotObjectType): Promise<void> {
  try {
    await api.call('standard', (c) => c.crm.properties.groupsApi.getByName(objectType, CLOSEWISE_GROUP.name));
  } catch (error) {
    // Not there yet (404) is the one answer that means "create it"; anything else is HubSpot's failure.
    if (hubSpotErrorStatus(error) !== 404) throw error;
    await api.call('standard', (c) => c.crm.properties.groupsApi.create(objectType, { ...CLOSEWISE_GROUP, displayOrder: -1 }));
  }
}
