import type { CustomFieldInfo, NeutralStage } from '../connector.ts';
import { CLOSEWISE_GROUP } from './closewise-properties.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { HUBSPOT_OBJECT, mapCustomField, mapStage } from './mapping.ts';
import { OBJECT_TYPES } from './object-types.ts';

export async function readStages(api: HubSpotApi): Promise<NeutralStage[]> {
  const pipelines = await api.call('standard', (c) => c.crm.pipelines.pipelinesApi.getAll('deals'));
  return pipelines.results.flatMap((pipeline) =>
    pipeline.stages.map((stage) =>
      mapStage(pipeline.id, { id: stage.id, label: stage.label, displayOrder: stage.displayOrder, metadata: stage.metadata ?? {} }),
    ),
  );
}

/** The customer's own properties: not HubSpot-defined, not ours, not calculated. They become model inputs. */
export async function readCustomFields(api: HubSpotApi): Promise<CustomFieldInfo[]> {
  const fields: CustomFieldInfo[] = [];
  for (const objectType of OBJECT_TYPES) {
    const response = await api.call('standard', (c) => c.crm.properties.coreApi.getAll(HUBSPOT_OBJECT[objectType]));
    for (const property of response.results) {
      if (property.hubspotDefined || property.calculated || property.groupName === CLOSEWISE_GROUP.name) continue;
      fields.push(mapCustomField(objectType, property));
    }
  }
  return fields;
}
