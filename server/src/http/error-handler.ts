import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { ClosewiseError, type ErrorCode } from '../errors/errors.ts';
import type { Logger } from '../logging/logger.ts';

/** The one mapping from error codes to HTTP status. */
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

/** Express's body parsers mark their own failures (malformed JSON, too large) with a 4xx status. */
function clientStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

export function errorToResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ClosewiseError) {
    return {
      status: HTTP_STATUS[error.code],
      body: { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } },
    };
  }
  if (error instanceof ZodError) {
    const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    const first = issues[0];
    return {
      status: 400,
      body: {
        error: { code: 'BAD_INPUT', message: first ? `${first.path || 'request'}: ${first.message}` : 'invalid request', details: issues },
      },
    };
  }
  const clientStatus = clientStatusOf(error);
  if (clientStatus) {
    const message = clientStatus === 413 ? 'request body is too large' : 'request body is not valid JSON';
    return { status: clientStatus, body: { error: { code: 'BAD_INPUT', message } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error; it has been logged' } } };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const { status, body } = errorToResponse(error);
    if (status >= 500) logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res.status(status).json(body);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}` } } satisfies ErrorBody);
};
