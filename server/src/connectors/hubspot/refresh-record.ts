import type { ObjectType } from '../../store/schema.ts';
import type { CustomFieldInfo, NeutralStage, SyncSink } from '../connector.ts';
import { readAssociations } from './associations.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { hubSpotErrorStatus } from './hubspot-client.ts';
import { storeRecords } from './incremental-sync.ts';

export interface PortalMetadata {
  customFields: CustomFieldInfo[];
  stageIndex: Map<string, NeutralStage>;
}

/**
 * Reads one record again (properties, history, associations) after a webhook said it changed. Returns false
 * when HubSpot no longer has it (deleted or merged away), which is not an error for the caller.
 */
export async function refreshRecord(
  api: HubSpotApi,
  sink: SyncSink,
  metadata: PortalMetadata,
  objectType: ObjectType,
  id: string,
): Promise<boolean> {
  let stored: number;
  try {
    stored = await storeRecords({ api, sink, ...metadata }, objectType, [id]);
  } catch (error) {
    if (hubSpotErrorStatus(error) === 404) return false;
    throw error;
  }
  if (stored === 0) return false;
  await sink.associations(await readAssociations(api, objectType, [id]));
  return true;
}
