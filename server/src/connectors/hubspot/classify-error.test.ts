import { describe, expect, it } from 'vitest';
import { UnauthorizedError, UpstreamError } from '../../errors/errors.ts';
import { CrmForbiddenError, CursorInvalidError, RateLimitedError } from '../errors.ts';
import { classifyHubSpotError, hubSpotTypedError } from './classify-error.ts';

/** What the SDK throws: an ApiException with `code` (the HTTP status), `headers` and the raw `body`. */
function sdkError(code: number | undefined, body: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`HTTP-Code: ${code}`), { code, headers, body: JSON.stringify(body) });
}

describe('classifyHubSpotError', () => {
  const cases: { name: string; error: unknown; kind: string; typed: new (...args: never[]) => Error }[] = [
    {
      name: '429 ten-secondly',
      error: sdkError(429, { policyName: 'TEN_SECONDLY_ROLLING' }),
      kind: 'rate_limited',
      typed: RateLimitedError,
    },
    { name: '429 daily', error: sdkError(429, { policyName: 'DAILY' }), kind: 'rate_limited', typed: RateLimitedError },
    {
      name: '401 expired token',
      error: sdkError(401, { category: 'EXPIRED_AUTHENTICATION' }),
      kind: 'unauthorized',
      typed: UnauthorizedError,
    },
    { name: '403 missing scopes', error: sdkError(403, { category: 'MISSING_SCOPES' }), kind: 'forbidden', typed: CrmForbiddenError },
    { name: '410 gone', error: sdkError(410), kind: 'cursor_invalid', typed: CursorInvalidError },
    {
      name: '400 stale paging token',
      error: sdkError(400, { category: 'VALIDATION_ERROR', message: 'Invalid input for after' }),
      kind: 'cursor_invalid',
      typed: CursorInvalidError,
    },
    {
      name: '400 other validation',
      error: sdkError(400, { category: 'VALIDATION_ERROR', message: 'Property x does not exist' }),
      kind: 'upstream',
      typed: UpstreamError,
    },
    { name: '404 not found', error: sdkError(404), kind: 'upstream', typed: UpstreamError },
    { name: '500', error: sdkError(500), kind: 'upstream', typed: UpstreamError },
    { name: '502', error: sdkError(502), kind: 'upstream', typed: UpstreamError },
    { name: '503', error: sdkError(503), kind: 'upstream', typed: UpstreamError },
    { name: 'no status (dropped connection)', error: new TypeError('fetch failed'), kind: 'upstream', typed: UpstreamError },
  ];

  for (const { name, error, kind, typed } of cases) {
    it(`${name} → ${kind}`, () => {
      expect(classifyHubSpotError(error).kind).toBe(kind);
      expect(hubSpotTypedError(error, 'reading deals')).toBeInstanceOf(typed);
    });
  }

  it('carries Retry-After into resumeAt', () => {
    const error = sdkError(429, {}, { 'Retry-After': '3' });
    expect(classifyHubSpotError(error).retryAfterMs).toBe(3000);
    const typed = hubSpotTypedError(error, 'writing scores', () => 1_000);
    expect(typed).toBeInstanceOf(RateLimitedError);
    expect((typed as RateLimitedError).resumeAt?.getTime()).toBe(4_000);
  });

  it('puts the context and HubSpot’s message in the typed error', () => {
    const typed = hubSpotTypedError(sdkError(500, { category: 'INTERNAL', message: 'boom' }), 'reading deals');
    expect(typed.message).toBe('reading deals: INTERNAL: boom');
  });
});
