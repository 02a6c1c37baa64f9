import { ClosewiseError, UnauthorizedError, UpstreamError } from '../errors/errors.ts';

/**
 * The CRM's rate limit or API allowance stopped the call, after the connector's own retries. `resumeAt` is
 * when trying again can succeed (null when the CRM did not say); until then a retry only spends more.
 */
export class RateLimitedError extends ClosewiseError {
  readonly resumeAt: Date | null;
  constructor(message: string, resumeAt: Date | null, details?: Record<string, unknown>) {
    super('RATE_LIMITED', message, { ...details, resumeAt: resumeAt?.toISOString() ?? null });
    this.resumeAt = resumeAt;
  }

  /** Milliseconds until `resumeAt` from `now` (0 when unknown or past). */
  retryAfterMs(now: Date = new Date()): number {
    return this.resumeAt ? Math.max(0, this.resumeAt.getTime() - now.getTime()) : 0;
  }
}

/**
 * A stored sync position the CRM no longer accepts (a paging token or bulk job that expired, a malformed
 * cursor). The sync must start that object again from an earlier position; no retry fixes it.
 */
export class CursorInvalidError extends ClosewiseError {
  constructor(message: string) {
    super('BAD_INPUT', message);
  }
}

/**
 * The CRM knows who we are but refuses this (a scope the admin did not grant): another token will not help,
 * an admin granting the permission will.
 */
export class CrmForbiddenError extends ClosewiseError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

/**
 * Remembers which failures came from a CRM's API (as each connector's API wrapper rethrows them after its
 * retries), so a connector's edge classifies those and leaves the sink's or its own bugs' errors as they are.
 */
const crmFailures = new WeakSet<object>();

/** Marks `error` as the CRM's answer and returns it, for `throw markCrmFailure(error)`. */
export function markCrmFailure(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) crmFailures.add(error);
  return error;
}

export function isCrmFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && crmFailures.has(error);
}

/** How a connector sorts its CRM's failures; each maps to one typed error (see classify-error.ts per CRM). */
export type CrmErrorKind = 'rate_limited' | 'unauthorized' | 'forbidden' | 'upstream' | 'cursor_invalid';

export interface CrmErrorClass {
  kind: CrmErrorKind;
  /** For rate_limited: how long the CRM asked us to wait, when it said. */
  retryAfterMs?: number;
  /** The CRM's own words, for a message a person can act on. */
  message: string;
}

/**
 * The typed error of a classified CRM failure, the same for every CRM: `text` says what we were doing and
 * what the CRM said; `resumeAt` is when a rate limit lifts (null: unknown); `details` go on an upstream error.
 */
export function typedCrmError(
  classified: CrmErrorClass,
  text: string,
  resumeAt: Date | null,
  details: Record<string, unknown>,
): ClosewiseError {
  switch (classified.kind) {
    case 'rate_limited':
      return new RateLimitedError(text, resumeAt);
    case 'unauthorized':
      return new UnauthorizedError(text);
    case 'forbidden':
      return new CrmForbiddenError(text);
    case 'cursor_invalid':
      return new CursorInvalidError(text);
    case 'upstream':
      return new UpstreamError(text, details);
  }
}
