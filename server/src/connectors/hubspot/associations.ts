import type { NeutralAssociation } from '../connector.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { ASSOCIATION_TARGETS, hubspotTypeOf } from './object-types.ts';

/** Associations v4 batch read takes at most 1,000 ids per call. */
export const ASSOCIATION_BATCH = 1000;

/** Every association of `ids` (of type `from`) to the types the features use. */
export async function readAssociations(api: HubSpotApi, from: string, ids: string[]): Promise<NeutralAssociation[]> {
  const out: NeutralAssociation[] = [];
  for (const to of ASSOCIATION_TARGETS[from] ?? []) {
    for (let i = 0; i < ids.length; i += ASSOCIATION_BATCH) {
      const inputs = ids.slice(i, i + ASSOCIATION_BATCH).map((id) => ({ id }));
      const response = await api.call('standard', (c) =>
        c.crm.associations.v4.batchApi.getPage(hubspotTypeOf(from), hubspotTypeOf(to), { inputs }),
      );
      for (const result of response.results) {
        for (const target of result.to)
          out.push({ fromType: from, fromId: String(result._from.id), toType: to, toId: String(target.toObjectId) });
      }
    }
  }
  return out;
}
