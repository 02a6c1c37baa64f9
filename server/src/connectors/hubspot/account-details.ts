import { z } from 'zod';
import type { HubSpotApi } from './hubspot-api.ts';

/** The fields of GET /account-info/v3/details Closewise reads (HubSpot sends more: currencies, hosting location). */
const accountDetailsSchema = z.object({
  portalId: z.number().int().positive(),
  timeZone: z.string().min(1),
  accountType: z.string().optional(),
});
export type HubSpotAccountDetails = z.infer<typeof accountDetailsSchema>;

/** Thrown like the SDK's own errors (status, body, headers), so HubSpotApi retries and classifies it the same way. */
function sdkShapedError(status: number, body: string, headers: Headers): Error {
  return Object.assign(new Error(`HubSpot answered ${status} to GET /account-info/v3/details`), {
    code: status,
    body,
    headers: Object.fromEntries(headers.entries()),
  });
}

/**
 * The account a token belongs to: its portal id (a private-app token says nothing else about where it points) and
 * time zone (a private app's daily limit resets at its midnight). The SDK has no generated API for it.
 */
export async function readAccountDetails(api: HubSpotApi): Promise<HubSpotAccountDetails> {
  const body = await api.call('standard', async (client) => {
    const response = await client.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
    const text = await response.text();
    if (!response.ok) throw sdkShapedError(response.status, text, response.headers);
    return text;
  });
  const parsed = accountDetailsSchema.safeParse(JSON.parse(body));
  if (!parsed.success) throw new Error(`HubSpot's account details were not as documented: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}
