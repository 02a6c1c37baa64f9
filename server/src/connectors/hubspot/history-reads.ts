import type { ObjectType } from '../../store/schema.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { hubspotTypeOf } from './object-types.ts';
import { type HubSpotObject, parseHubSpotObjects } from './sdk-objects.ts';

/** HubSpot caps list pages at 100, and at 50 when property history is requested. */
export const PAGE_SIZE = 100;
export const HISTORY_PAGE_SIZE = 50;
/** Batch read with property history takes at most 50 ids (more → 400). */
export const HISTORY_BATCH = 50;

/**
 * The longest list-request URL Closewise sends. HubSpot documents no number, but a GET whose query lists many
 * properties (every one twice, with history) is answered 414 "Request-URI Too Large": integrations report it
 * from about 8,000 characters (dlt-hub/verified-sources#305, airbytehq/airbyte#33976). The sandbox enforces
 * 8,192; this leaves room for the host, path and paging token.
 */
export const LIST_URL_BUDGET = 7_000;

/** Characters the SDK's list query spends on these names: it repeats the parameter per name (`&properties=a&properties=b`). */
export function listQueryLength(properties: string[], history: string[]): number {
  const part = (param: string, names: string[]) => names.reduce((n, name) => n + param.length + 2 + encodeURIComponent(name).length, 0);
  return part('properties', properties) + part('propertiesWithHistory', history);
}

/** Whether a list page can carry these properties and their history in its URL. */
export function fitsInListUrl(properties: string[], history: string[]): boolean {
  return listQueryLength(properties, history) <= LIST_URL_BUDGET;
}

/**
 * Records by id with their properties and history in the request body (no URL to outgrow), 50 ids a call as
 * HubSpot allows. Ids HubSpot no longer has are left out (a 207 names them; they are archived by the sweep).
 */
export async function readRecordsWithHistory(
  api: HubSpotApi,
  type: ObjectType,
  ids: string[],
  properties: string[],
  history: string[],
  onBatch: (objects: HubSpotObject[]) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < ids.length; i += HISTORY_BATCH) {
    const inputs = ids.slice(i, i + HISTORY_BATCH).map((id) => ({ id }));
    const response = await api.call('standard', (c) =>
      c.crm.objects.batchApi.read(hubspotTypeOf(type), { inputs, properties, propertiesWithHistory: history }),
    );
    await onBatch(parseHubSpotObjects(response.results, `a batch of ${type} records`));
  }
}
