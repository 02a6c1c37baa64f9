import { Client } from '@hubspot/api-client';

export interface HubSpotClientOptions {
  accessToken: string;
  /** https://api.hubapi.com in production; a local sandbox's URL in tests and the demo. */
  basePath: string;
  /** Keys the client-side limiter per portal, so two portals never share one budget. */
  portalId: string;
  /** Requests per second this process may send to the portal; 9/s stays under HubSpot's 110 per 10 s. */
  requestsPerSecond?: number;
}

/**
 * One SDK client per portal. The SDK's own limiter (Bottleneck) keeps us under the portal's limit and its
 * retry handles 429 TEN_SECONDLY_ROLLING and 5xx.
 */
export function createHubSpotClient(options: HubSpotClientOptions): Client {
  const perSecond = options.requestsPerSecond ?? 9;
  return new Client({
    accessToken: options.accessToken,
    basePath: options.basePath.replace(/\/$/, ''),
    numberOfApiCallRetries: 3,
    limiterOptions: { id: `hubspot-portal-${options.portalId}`, minTime: Math.ceil(1000 / perSecond), maxConcurrent: 6 },
  });
}

/** HTTP status of an error thrown by the SDK, if it carries one. */
export function hubSpotErrorStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The message HubSpot put in its error body, for error text a person can act on. */
export function hubSpotErrorMessage(error: unknown): string {
  const body = (error as { body?: { message?: string; category?: string } })?.body;
  if (body?.message) return body.category ? `${body.category}: ${body.message}` : body.message;
  return error instanceof Error ? error.message : String(error);
}
