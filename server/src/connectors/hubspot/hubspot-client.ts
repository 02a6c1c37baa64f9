import { Client } from '@hubspot/api-client';
import { z } from 'zod';

export interface HubSpotClientOptions {
  accessToken: string;
  /** https://api.hubapi.com in production; a local sandbox's URL in tests and the demo. */
  basePath: string;
}

/**
 * A bare SDK client. The SDK's own limiter and retry stay off: its retry ignores HubSpot's rate-limit
 * headers and waits 10 s × attempt on every 429, and its Bottleneck limiter spaces calls evenly instead of
 * using HubSpot's rolling window. `HubSpotApi` (hubspot-api.ts) does both per portal instead.
 */
export function createHubSpotClient(options: HubSpotClientOptions): Client {
  return new Client({ accessToken: options.accessToken, basePath: options.basePath.replace(/\/$/, ''), numberOfApiCallRetries: 0 });
}

/** A property of whatever the SDK threw (an ApiException, a fetch error, anything). */
function fieldOf(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null && name in error ? Reflect.get(error, name) : undefined;
}

/** HTTP status of an error thrown by the SDK, if it carries one. */
export function hubSpotErrorStatus(error: unknown): number | undefined {
  const code = fieldOf(error, 'code');
  return typeof code === 'number' ? code : undefined;
}

/** Response headers of an SDK error (lower-case names), if it carries them. */
export function hubSpotErrorHeaders(error: unknown): Record<string, string> {
  const headers = fieldOf(error, 'headers');
  if (!headers || typeof headers !== 'object') return {};
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
}

/** The fields of HubSpot's error body (`{ status, message, category | errorType, policyName, ... }`) we read. */
const errorBody = z.object({
  message: z.string().optional().catch(undefined),
  category: z.string().optional().catch(undefined),
  errorType: z.string().optional().catch(undefined),
  policyName: z.string().optional().catch(undefined),
});
export type HubSpotErrorBody = z.infer<typeof errorBody>;

/** The error body HubSpot sent, parsed; a body that is not JSON is the message. */
export function hubSpotErrorBody(error: unknown): HubSpotErrorBody {
  const body = fieldOf(error, 'body');
  if (typeof body === 'string') {
    try {
      return errorBody.catch({}).parse(JSON.parse(body));
    } catch {
      return { message: body };
    }
  }
  return errorBody.catch({}).parse(body);
}

/** The message HubSpot put in its error body, for error text a person can act on. */
export function hubSpotErrorMessage(error: unknown): string {
  const body = hubSpotErrorBody(error);
  if (body.message) return body.category ? `${body.category}: ${body.message}` : body.message;
  return error instanceof Error ? error.message : String(error);
}
