import type { ClosewiseError } from '../../errors/errors.ts';
import { type CrmErrorClass, typedCrmError } from '../errors.ts';
import { hubSpotErrorBody, hubSpotErrorHeaders, hubSpotErrorMessage, hubSpotErrorStatus } from './hubspot-client.ts';

/** HubSpot answers 400 with this in the message when a search or list `after` paging token is no longer valid. */
const STALE_PAGING = /\bafter\b|paging|cursor/i;

/**
 * The one place HubSpot's failures are sorted: by HTTP status, then by what the error body says.
 * 429 is rate limited (Retry-After when HubSpot sends one), 401 unauthorized (an expired or revoked token),
 * 403 forbidden (scopes the portal did not grant), 410 and a 400 about paging an invalid cursor, everything
 * else upstream (5xx, dropped connections, unexpected 4xx).
 */
export function classifyHubSpotError(error: unknown): CrmErrorClass {
  const status = hubSpotErrorStatus(error);
  const message = hubSpotErrorMessage(error);
  if (status === 429) {
    const retryAfter = Number(hubSpotErrorHeaders(error)['retry-after']);
    return { kind: 'rate_limited', message, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
  }
  if (status === 401) return { kind: 'unauthorized', message };
  if (status === 403) return { kind: 'forbidden', message };
  if (status === 410) return { kind: 'cursor_invalid', message };
  if (status === 400 && hubSpotErrorBody(error).category === 'VALIDATION_ERROR' && STALE_PAGING.test(message)) {
    return { kind: 'cursor_invalid', message };
  }
  return { kind: 'upstream', message };
}

/** The typed error for a HubSpot failure, with `context` (what we were doing) in front of HubSpot's words. */
export function hubSpotTypedError(error: unknown, context: string, now: () => number = Date.now): ClosewiseError {
  const classified = classifyHubSpotError(error);
  const text = `${context}: ${classified.message}`;
  const resumeAt = classified.retryAfterMs === undefined ? null : new Date(now() + classified.retryAfterMs);
  return typedCrmError(classified, text, resumeAt, { status: hubSpotErrorStatus(error) ?? null });
}
