import type { ClosewiseError } from '../../errors/errors.ts';
import { type CrmErrorClass, typedCrmError } from '../errors.ts';

/** Salesforce counts its allowance over a rolling 24 hours: a stopped run can resume within a day at the latest. */
export const SALESFORCE_WINDOW_MS = 24 * 60 * 60 * 1000;

const RATE_LIMITED_CODES = new Set(['REQUEST_LIMIT_EXCEEDED', 'TOO_MANY_REQUESTS']);
const UNAUTHORIZED_CODES = new Set(['INVALID_SESSION_ID', 'INVALID_AUTH_HEADER', 'INVALID_GRANT', 'invalid_grant', 'API_DISABLED_FOR_ORG']);
/** A query locator or Bulk 2.0 job that expired or never existed: the stored cursor points nowhere. */
const CURSOR_CODES = new Set(['INVALID_QUERY_LOCATOR', 'INVALID_LOCATOR', 'INVALID_JOB_ID']);

interface SalesforceErrorShape {
  errorCode?: unknown;
  name?: unknown;
  statusCode?: unknown;
  status?: unknown;
  message?: unknown;
}

function shapeOf(error: unknown): SalesforceErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

/** The HTTP status jsforce put on the error, if any. */
export function salesforceErrorStatus(error: unknown): number | undefined {
  const { statusCode, status } = shapeOf(error);
  const value = typeof statusCode === 'number' ? statusCode : status;
  return typeof value === 'number' ? value : undefined;
}

/** Salesforce's error code (jsforce puts it in errorCode, and in name for HTTP API errors). */
export function salesforceErrorCode(error: unknown): string | undefined {
  const { errorCode, name } = shapeOf(error);
  if (typeof errorCode === 'string') return errorCode;
  return typeof name === 'string' && /^[A-Z_]+$/.test(name) ? name : undefined;
}

/**
 * The one place Salesforce's failures are sorted: by error code first (Salesforce answers the daily limit with
 * 403 REQUEST_LIMIT_EXCEEDED, so the status alone would call it unauthorized), then by HTTP status.
 */
export function classifySalesforceError(error: unknown): CrmErrorClass {
  const code = salesforceErrorCode(error);
  const status = salesforceErrorStatus(error);
  const raw = shapeOf(error).message;
  const message = typeof raw === 'string' ? raw : String(error);
  if ((code && RATE_LIMITED_CODES.has(code)) || status === 429) return { kind: 'rate_limited', message };
  if ((code && CURSOR_CODES.has(code)) || status === 410) return { kind: 'cursor_invalid', message };
  if ((code && UNAUTHORIZED_CODES.has(code)) || status === 401 || status === 403) return { kind: 'unauthorized', message };
  return { kind: 'upstream', message };
}

/** The typed error for a Salesforce failure, with `context` (what we were doing) in front of Salesforce's words. */
export function salesforceTypedError(error: unknown, context: string, now: () => number = Date.now): ClosewiseError {
  const classified = classifySalesforceError(error);
  const text = `${context}: ${classified.message}`;
  return typedCrmError(classified, text, new Date(now() + SALESFORCE_WINDOW_MS), {
    status: salesforceErrorStatus(error) ?? null,
    code: salesforceErrorCode(error) ?? null,
  });
}
