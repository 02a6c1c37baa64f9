import { RateLimitedError } from '../errors.ts';
import { classifySalesforceError, SALESFORCE_WINDOW_MS } from './classify-error.ts';

/**
 * The org's daily API allowance, as Salesforce reports it in `Sforce-Limit-Info: api-usage=used/limit`
 * on every REST response. We stop before the last `reserve` calls so reps' cards (Rescore now) and the
 * customer's other integrations keep working; the run resumes in the next window from its cursors.
 */
export class ApiBudgetExhaustedError extends RateLimitedError {
  readonly used: number;
  readonly limit: number;
  constructor(used: number, limit: number, reserve: number, deferred?: { deferred: number; of: number }) {
    // Salesforce counts a rolling 24 hours: the allowance is back within a day at the latest.
    super(
      deferred
        ? `Salesforce daily API budget reached: ${deferred.deferred} of ${deferred.of} score writes deferred; they stay pending`
        : `Salesforce daily API budget reached: ${used} of ${limit} requests used (${reserve} kept in reserve)`,
      new Date(Date.now() + SALESFORCE_WINDOW_MS),
      { used, limit, reserve, ...deferred },
    );
    this.used = used;
    this.limit = limit;
  }
}

export interface BudgetOptions {
  /** Calls left untouched for interactive use; default 10% of the limit. */
  reserve?: number;
  /** Fraction of the limit kept when no absolute reserve is given. */
  reserveFraction?: number;
}

export class ApiBudget {
  used: number | null = null;
  limit: number | null = null;
  private readonly reserve: number | undefined;
  private readonly reserveFraction: number;

  constructor(options: BudgetOptions = {}) {
    this.reserve = options.reserve;
    this.reserveFraction = options.reserveFraction ?? 0.1;
  }

  /** Reads an `api-usage=used/limit` header value. */
  observeHeader(value: string | undefined): void {
    const match = value ? /api-usage=(\d+)\/(\d+)/.exec(value) : null;
    if (match) this.observe(Number(match[1]), Number(match[2]));
  }

  observe(used: number, limit: number): void {
    this.used = used;
    this.limit = limit;
  }

  reserveCalls(): number {
    return this.reserve ?? Math.ceil((this.limit ?? 0) * this.reserveFraction);
  }

  /** Calls we may still make, or null before the first response told us. */
  remaining(): number | null {
    if (this.used === null || this.limit === null) return null;
    return this.limit - this.reserveCalls() - this.used;
  }

  /** Throws before a call that would eat into the reserve. */
  check(cost = 1): void {
    const left = this.remaining();
    if (left !== null && left < cost) throw new ApiBudgetExhaustedError(this.used ?? 0, this.limit ?? 0, this.reserveCalls());
  }

  /** Salesforce itself refusing (REQUEST_LIMIT_EXCEEDED) counts as the budget being spent. */
  exhausted(): ApiBudgetExhaustedError {
    return new ApiBudgetExhaustedError(this.limit ?? this.used ?? 0, this.limit ?? 0, this.reserveCalls());
  }
}

export function isRequestLimitExceeded(error: unknown): boolean {
  return classifySalesforceError(error).kind === 'rate_limited';
}
