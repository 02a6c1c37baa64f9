import type { Client } from '@hubspot/api-client';
import type { ScoreWrite, WriteBackResult } from '../connector.ts';
import { toHubSpotProperties } from './closewise-properties.ts';
import { hubSpotErrorMessage } from './hubspot-client.ts';
import { HUBSPOT_OBJECT } from './mapping.ts';

/** HubSpot's batch update takes at most 100 inputs. */
export const BATCH_UPDATE_LIMIT = 100;

/**
 * Writes scores in batches of ≤100 per object type. A batch that fails as a whole is reported record by
 * record (the SDK has already retried 429 and 5xx), so the caller keeps them pending and tries again later.
 */
export async function writeScoresToHubSpot(
  client: Client,
  writes: ScoreWrite[],
  onProgress?: (done: number) => void,
): Promise<WriteBackResult> {
  const result: WriteBackResult = { written: 0, failed: [] };
  let done = 0;
  for (const objectType of ['deal', 'contact', 'company'] as const) {
    const ofType = writes.filter((w) => w.objectType === objectType);
    for (let i = 0; i < ofType.length; i += BATCH_UPDATE_LIMIT) {
      const batch = ofType.slice(i, i + BATCH_UPDATE_LIMIT);
      const inputs = batch.map((w) => ({ id: w.externalId, properties: toHubSpotProperties(w.fields) }));
      try {
        const response = await client.crm.objects.batchApi.update(HUBSPOT_OBJECT[objectType], { inputs });
        const updated = new Set(response.results.map((r) => r.id));
        for (const write of batch) {
          if (updated.has(write.externalId)) result.written += 1;
          else result.failed.push({ externalId: write.externalId, message: 'HubSpot did not confirm the update' });
        }
      } catch (error) {
        const message = hubSpotErrorMessage(error);
        for (const write of batch) result.failed.push({ externalId: write.externalId, message });
      }
      done += batch.length;
      onProgress?.(done);
    }
  }
  return result;
}
