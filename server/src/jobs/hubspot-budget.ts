import type { Client } from '@hubspot/api-client';
import type { RateBudget } from './rate-budget.ts';

/** Budget keys of a private app's portal start with this: their limit is the private-app tier's, not an OAuth app's. */
export const PRIVATE_APP_BUDGET_PREFIX = 'hubspot-private-app:';

/**
 * The budget key of a HubSpot portal: one budget per portal and kind of app, whichever worker or job calls it
 * (HubSpot counts a private app and a marketplace app in one portal apart).
 */
export function hubSpotBudgetKey(portalId: string | number, authMode: 'oauth' | 'private_app' = 'oauth'): string {
  return authMode === 'private_app' ? `${PRIVATE_APP_BUDGET_PREFIX}${portalId}` : `hubspot:${portalId}`;
}

/**
 * Makes every HTTP request of an SDK client (retries included) wait for the portal's shared budget.
 * It runs as SDK middleware, i.e. after the SDK's own per-process limiter and right before the request
 * leaves, so a grant is spent within milliseconds of being given.
 */
export function limitHubSpotClient(client: Client, budget: RateBudget, key: string, signal?: AbortSignal): Client {
  const gate = {
    async pre(context: unknown) {
      await budget.take(key, 1, signal);
      return context;
    },
    post(context: unknown) {
      return context;
    },
  };
  client.config.middleware = [...(client.config.middleware ?? []), gate];
  // The SDK builds its API objects lazily from config; init() drops the built ones so the gate applies.
  client.init();
  return client;
}
