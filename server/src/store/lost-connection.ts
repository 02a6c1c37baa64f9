import { StoreUnreachableError } from '../errors/errors.ts';

/**
 * SQLSTATEs that mean the connection, not the statement, failed: 57P01 admin shutdown (pg_terminate_backend),
 * 57P02 crash shutdown, 57P03 cannot connect now (starting or stopping), class 08 connection exceptions.
 */
const LOST_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
const LOST_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
/** node-postgres' own words when the socket went away under a client (it sets no code for these). */
const LOST_MESSAGES = [
  /connection terminated/i,
  /not queryable/i,
  /timeout exceeded when trying to connect/i,
  /connection (?:is )?(?:closed|ended)/i,
  /cannot use a pool after calling end/i,
];

/** Whether the error says the database connection was lost or could not be made (the statement itself may be fine). */
export function isLostConnection(error: unknown): boolean {
  if (error instanceof StoreUnreachableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (LOST_SQLSTATES.has(code) || code.startsWith('08') || LOST_ERRNO.has(code))) return true;
  return LOST_MESSAGES.some((pattern) => pattern.test(error.message));
}

/**
 * A lost connection leaves the store as StoreUnreachableError (503 at the HTTP edge, a retried unit of work in
 * the jobs); any other failure passes as it is.
 */
export function asStoreError(error: unknown): unknown {
  if (error instanceof StoreUnreachableError || !isLostConnection(error)) return error;
  const unreachable = new StoreUnreachableError(`the database connection was lost: ${(error as Error).message}`);
  unreachable.cause = error;
  return unreachable;
}
