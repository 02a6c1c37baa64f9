import type { ObjectType } from '../../store/schema.ts';
import type { SyncSink } from '../connector.ts';
import { readAssociations } from './associations.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { hubSpotErrorStatus } from './hubspot-client.ts';
import { storeRecords } from './incremental-sync.ts';
import type { PortalMetadata } from './portal-metadata.ts';

/**
 * Reads one record again (properties, history, associations) after a webhook said it changed. Returns false
 * when HubSpot no longer has it (deleted or merged away), which is not an error for the caller: the record is
 * then marked archived in the sink, so a deletion event (or any event of a record deleted since) takes it out
 * of scoring, write-back and the cards. Reading the current state keeps this right for any event order.
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
    if (hubSpotErrorStatus(error) !== 404) throw error;
    stored = 0;
  }
  if (stored === 0) {
    await sink.archive(objectType, [id]);
    return false;
  }
  // What HubSpot lists now replaces what the store held: an association removed in HubSpot goes here too.
  const associations = await readAssociations(api, objectType, [id]);
  if (sink.replaceAssociations) await sink.replaceAssociations(objectType, [id], associations);
  else await sink.associations(associations);
  return true;
}
