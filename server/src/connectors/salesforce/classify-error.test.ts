import { describe, expect, it } from 'vitest';
import { UnauthorizedError, UpstreamError } from '../../errors/errors.ts';
import { CursorInvalidError, RateLimitedError } from '../errors.ts';
import { classifySalesforceError, SALESFORCE_WINDOW_MS, salesforceTypedError } from './classify-error.ts';

/** What jsforce throws: an Error with Salesforce's errorCode (or name) and, for HTTP errors, the status. */
function jsforceError(statusCode: number | undefined, errorCode?: string) {
  return Object.assign(new Error(`${errorCode ?? 'ERROR'}: something`), {
    ...(errorCode ? { errorCode, name: errorCode } : {}),
    statusCode,
  });
}

describe('classifySalesforceError', () => {
  const cases: { name: string; error: unknown; kind: string; typed: new (...args: never[]) => Error }[] = [
    {
      name: '403 REQUEST_LIMIT_EXCEEDED (daily allowance)',
      error: jsforceError(403, 'REQUEST_LIMIT_EXCEEDED'),
      kind: 'rate_limited',
      typed: RateLimitedError,
    },
    {
      name: 'REQUEST_LIMIT_EXCEEDED without a status',
      error: jsforceError(undefined, 'REQUEST_LIMIT_EXCEEDED'),
      kind: 'rate_limited',
      typed: RateLimitedError,
    },
    { name: '429', error: jsforceError(429), kind: 'rate_limited', typed: RateLimitedError },
    { name: '401 INVALID_SESSION_ID', error: jsforceError(401, 'INVALID_SESSION_ID'), kind: 'unauthorized', typed: UnauthorizedError },
    { name: '401 without a code', error: jsforceError(401), kind: 'unauthorized', typed: UnauthorizedError },
    { name: '403 without a code', error: jsforceError(403), kind: 'unauthorized', typed: UnauthorizedError },
    {
      name: '400 INVALID_QUERY_LOCATOR',
      error: jsforceError(400, 'INVALID_QUERY_LOCATOR'),
      kind: 'cursor_invalid',
      typed: CursorInvalidError,
    },
    {
      name: '404 INVALID_JOB_ID (bulk job gone)',
      error: jsforceError(404, 'INVALID_JOB_ID'),
      kind: 'cursor_invalid',
      typed: CursorInvalidError,
    },
    { name: '410', error: jsforceError(410), kind: 'cursor_invalid', typed: CursorInvalidError },
    { name: '400 MALFORMED_QUERY', error: jsforceError(400, 'MALFORMED_QUERY'), kind: 'upstream', typed: UpstreamError },
    { name: '404 NOT_FOUND', error: jsforceError(404, 'NOT_FOUND'), kind: 'upstream', typed: UpstreamError },
    { name: '500', error: jsforceError(500), kind: 'upstream', typed: UpstreamError },
    { name: '503 SERVER_UNAVAILABLE', error: jsforceError(503, 'SERVER_UNAVAILABLE'), kind: 'upstream', typed: UpstreamError },
    { name: 'no status (dropped connection)', error: new TypeError('fetch failed'), kind: 'upstream', typed: UpstreamError },
  ];

  for (const { name, error, kind, typed } of cases) {
    it(`${name} → ${kind}`, () => {
      expect(classifySalesforceError(error).kind).toBe(kind);
      expect(salesforceTypedError(error, 'querying Opportunity')).toBeInstanceOf(typed);
    });
  }

  it('resumes a rate-limited run after the rolling 24-hour window', () => {
    const typed = salesforceTypedError(jsforceError(403, 'REQUEST_LIMIT_EXCEEDED'), 'writing scores', () => 1_000);
    expect((typed as RateLimitedError).resumeAt?.getTime()).toBe(1_000 + SALESFORCE_WINDOW_MS);
  });
});
