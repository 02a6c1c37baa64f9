import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { ClosewiseError, type ErrorCode } from '../errors/errors.ts';
import type { Logger } from '../logging/logger.ts';

/** The one mapping from error codes to HTTP status, for every router. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_INPUT: 400,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  CONFIG: 500,
  STORE_UNREACHABLE: 503,
  UPSTREAM: 502,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export interface ErrorResponseOptions {
  /**
   * Whether `details` (zod issues, typed-error details) go into the body. The card API says no: an error
   * response there must never carry record data, and the card shows only the message.
   */
  details?: boolean;
}

/** Express's body parsers mark their own failures (malformed JSON, too large) with a 4xx status. */
function clientStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const found = status ?? statusCode;
  return typeof found === 'number' && found >= 400 && found < 500 ? found : undefined;
}

const CLIENT_MESSAGES: Record<number, string> = {
  413: 'request body is too large',
  400: 'request body is not valid JSON',
  415: 'request body has an unsupported content type or charset',
  431: 'request headers are too large',
};

/** The router decodes path parameters itself; a malformed percent-escape there is the client's, never a 500. */
function isMalformedUrl(error: unknown): boolean {
  return error instanceof URIError;
}

export function errorToResponse(error: unknown, options: ErrorResponseOptions = {}): { status: number; body: ErrorBody } {
  const withDetails = options.details ?? true;
  if (error instanceof ClosewiseError) {
    const details = withDetails && error.details !== undefined ? { details: error.details } : {};
    return { status: HTTP_STATUS[error.code], body: { error: { code: error.code, message: error.message, ...details } } };
  }
  if (error instanceof ZodError) {
    const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    const first = issues[0];
    const message = first ? `${first.path || 'request'}: ${first.message}` : 'invalid request';
    return { status: 400, body: { error: { code: 'BAD_INPUT', message, ...(withDetails ? { details: issues } : {}) } } };
  }
  if (isMalformedUrl(error)) {
    return { status: 400, body: { error: { code: 'BAD_INPUT', message: 'the URL is not valid: it holds a malformed percent-escape' } } };
  }
  const clientStatus = clientStatusOf(error);
  if (clientStatus) {
    const message = CLIENT_MESSAGES[clientStatus] ?? 'request could not be read';
    return { status: clientStatus, body: { error: { code: 'BAD_INPUT', message } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Closewise hit an internal error; it has been logged.' } } };
}

/** The error handler every router and the app end with; 5xx are logged (never with the request body). */
export function errorHandler(logger: Logger, options: ErrorResponseOptions = {}): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const { status, body } = errorToResponse(error, options);
    if (status >= 500) logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    // A parser that gave up mid-body (too large, bad encoding) left bytes on the wire that would be read as the
    // next request: close the connection so a keep-alive client does not send its next request into them.
    if (!req.complete) res.set('connection', 'close');
    res.status(status).json(body);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}` } } satisfies ErrorBody);
};
