import type { Response } from 'express';
import { ClosewiseError, type ErrorCode } from '../../errors/errors.ts';
import type { Logger } from '../../logging/logger.ts';

/** HTTP status per error code for the card API (mirrors what http/error-handler.ts should do app-wide). */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  CONFIG: 500,
  INTERNAL: 500,
  UPSTREAM: 502,
  STORE_UNREACHABLE: 503,
};

/** Sends `{ error: { code, message } }` and nothing else: an error response never carries record data. */
export function sendError(res: Response, error: unknown, logger: Logger): void {
  if (error instanceof ClosewiseError) {
    const status = STATUS_BY_CODE[error.code];
    if (status >= 500) logger.error({ err: error }, 'card api failed');
    res.status(status).json({ error: { code: error.code, message: error.message } });
    return;
  }
  logger.error({ err: error }, 'card api failed unexpectedly');
  res.status(500).json({ error: { code: 'INTERNAL', message: 'Closewise hit an unexpected error; it has been logged.' } });
}
