import type { CustomFieldInfo, FieldOptions, NeutralStage } from '../connector.ts';
import { CLOSEWISE_GROUP } from './closewise-properties.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { HUBSPOT_OBJECT, mapCustomField, mapFieldOptions, mapStage } from './mapping.ts';
import { OBJECT_TYPES } from './object-types.ts';

export async function readStages(api: HubSpotApi): Promise<NeutralStage[]> {
  const pipelines = await api.call('standard', (c) => c.crm.pipelines.pipelinesApi.getAll('deals'));
  return pipelines.results.flatMap((pipeline) =>
    pipeline.stages.map((stage) =>
      mapStage(pipeline.id, { id: stage.id, label: stage.label, displayOrder: stage.displayOrder, metadata: stage.metadata ?? {} }),
    ),
  );
}

/**
 * One read of the four property lists: the customer's own properties (not HubSpot-defined, not ours, not
 * calculated; they become model inputs), and the option labels of every enumeration Closewise reads.
 */
export async function readProperties(api: HubSpotApi): Promise<{ customFields: CustomFieldInfo[]; fieldOptions: FieldOptions[] }> {
  const customFields: CustomFieldInfo[] = [];
  const fieldOptions: FieldOptions[] = [];
  for (const objectType of OBJECT_TYPES) {
    const response = await api.call('standard', (c) => c.crm.properties.coreApi.getAll(HUBSPOT_OBJECT[objectType]));
    for (const property of response.results) {
      if (property.groupName === CLOSEWISE_GROUP.name) continue;
      const custom = !property.hubspotDefined && !property.calculated;
      if (custom) customFields.push(mapCustomField(objectType, property));
      const options = mapFieldOptions(objectType, property, custom);
      if (options) fieldOptions.push(options);
    }
  }
  return { customFields, fieldOptions };
}

/** A portal's pipelines and custom fields, as mapping needs them. */
export interface PortalMetadata {
  customFields: CustomFieldInfo[];
  stageIndex: Map<string, NeutralStage>;
}

/**
 * Portal metadata shared by the connectors one process builds (the registry makes a new connector per
 * webhook refresh): read once per portal per `ttlMs`, and concurrent misses share the one read. Without it
 * each refresh re-read the pipelines and the four property lists, 61% of its HubSpot calls.
 */
export interface PortalMetadataCache {
  /** The portal's metadata; `read` runs (and its result is kept) when there is none younger than the TTL. */
  get(portalId: string, read: () => Promise<PortalMetadata>): Promise<PortalMetadata>;
}

export function createPortalMetadataCache(ttlMs = 10 * 60 * 1000, now: () => number = Date.now): PortalMetadataCache {
  const entries = new Map<string, { value: Promise<PortalMetadata>; readAt: number }>();
  return {
    get(portalId, read) {
      const entry = entries.get(portalId);
      if (entry && now() - entry.readAt <= ttlMs) return entry.value;
      const value = read();
      entries.set(portalId, { value, readAt: now() });
      // A failed read is not kept: the next refresh tries again.
      value.catch(() => {
        if (entries.get(portalId)?.value === value) entries.delete(portalId);
      });
      return value;
    },
  };
}
