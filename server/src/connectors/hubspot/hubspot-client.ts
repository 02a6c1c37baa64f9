import { Client } from '@hubspot/api-client';

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

/** HTTP status of an error thrown by the SDK, if it carries one. */
export function hubSpotErrorStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Response headers of an SDK error (lower-case names), if it carries them. */
export function hubSpotErrorHeaders(error: unknown): Record<string, string> {
  const headers = (error as { headers?: unknown })?.headers;
  if (!headers || typeof headers !== 'object') return {};
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
}

/** The parsed error body HubSpot sent (`{ status, message, category | errorType, policyName, ... }`). */
export function hubSpotErrorBody(error: unknown): { message?: string; category?: string; errorType?: string; policyName?: string } {
  const body = (error as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as Record<string, string>;
    } catch {
      return { message: body };
    }
  }
  return body && typeof body === 'object' ? (body as Record<string, string>) : {};
}

/** The message HubSpot put in its error body, for error text a person can act on. */
export function hubSpotErrorMessage(error: unknown): string {
  const body = hubSpotErrorBody(error);
  if (body.message) return body.category ? `${body.category}: ${body.message}` : body.message;
  return error instanceof Error ? error.message : String(error);
}
