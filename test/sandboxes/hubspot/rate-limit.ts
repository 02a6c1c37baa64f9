import type { NextFunction, Request, Response } from 'express';
import type { Caller } from './context.ts';
import type { Clock } from './portal.ts';

export interface RateLimitOptions {
  /** Rolling window for every CRM call except search: HubSpot's marketplace-app default is 110 per 10 s per portal. */
  tenSecondly?: { max: number; intervalMs: number } | false;
  /** Search's own limit: 5 per second per portal (no rate-limit headers on search responses). */
  searchPerSecond?: number | false;
  /** Optional daily cap (private apps); adds the X-HubSpot-RateLimit-Daily headers. */
  daily?: number | false;
}

export const DEFAULT_RATE_LIMITS = {
  tenSecondly: { max: 110, intervalMs: 10_000 },
  searchPerSecond: 5,
  daily: false,
} as const satisfies RateLimitOptions;

/** Timestamps of accepted requests inside a rolling window. */
class RollingWindow {
  private readonly stamps: number[] = [];
  private head = 0;
  readonly max: number;
  readonly intervalMs: number;
  constructor(max: number, intervalMs: number) {
    this.max = max;
    this.intervalMs = intervalMs;
  }

  private prune(now: number): void {
    while (this.head < this.stamps.length && (this.stamps[this.head] as number) <= now - this.intervalMs) this.head++;
    if (this.head > 1024) {
      this.stamps.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Counts the request if it fits; returns what is left after it, or -1 if it does not fit. */
  take(now: number): number {
    this.prune(now);
    const used = this.stamps.length - this.head;
    if (used >= this.max) return -1;
    this.stamps.push(now);
    return this.max - used - 1;
  }
}

function tooMany(res: Response, message: string, policyName: string): void {
  res.status(429).json({
    status: 'error',
    message,
    errorType: 'RATE_LIMIT',
    correlationId: String(res.locals.correlationId ?? ''),
    policyName,
  });
}

/**
 * HubSpot's per-portal limits. Runs after auth (limits are per installing portal). Rejected requests are not
 * counted against the window; HubSpot sends no Retry-After.
 */
export function rateLimiter(options: RateLimitOptions, clock: Clock) {
  const merged = { ...DEFAULT_RATE_LIMITS, ...options };
  const windows = new Map<number, { ten?: RollingWindow; search?: RollingWindow; day?: RollingWindow }>();
  const windowsFor = (portalId: number) => {
    let w = windows.get(portalId);
    if (!w) {
      w = {
        ...(merged.tenSecondly ? { ten: new RollingWindow(merged.tenSecondly.max, merged.tenSecondly.intervalMs) } : {}),
        ...(merged.searchPerSecond ? { search: new RollingWindow(merged.searchPerSecond, 1000) } : {}),
        ...(merged.daily ? { day: new RollingWindow(merged.daily, 86_400_000) } : {}),
      };
      windows.set(portalId, w);
    }
    return w;
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    const caller = res.locals.caller as Caller | undefined;
    if (!caller) {
      next();
      return;
    }
    const now = clock();
    const w = windowsFor(caller.portalId);
    if (req.method === 'POST' && /\/search$/.test(req.path)) {
      if (w.search && w.search.take(now) < 0) tooMany(res, 'You have reached your secondly limit.', 'SECONDLY');
      else next();
      return;
    }
    if (w.ten) {
      const left = w.ten.take(now);
      res.set('X-HubSpot-RateLimit-Max', String(w.ten.max));
      res.set('X-HubSpot-RateLimit-Interval-Milliseconds', String(w.ten.intervalMs));
      res.set('X-HubSpot-RateLimit-Remaining', String(Math.max(left, 0)));
      if (left < 0) {
        tooMany(res, 'You have reached your ten_secondly_rolling limit.', 'TEN_SECONDLY_ROLLING');
        return;
      }
    }
    if (w.day) {
      const left = w.day.take(now);
      if (left < 0) {
        tooMany(res, 'You have reached your daily limit.', 'DAILY');
        return;
      }
      res.set('X-HubSpot-RateLimit-Daily', String(w.day.max));
      res.set('X-HubSpot-RateLimit-Daily-Remaining', String(left));
    }
    next();
  };
}
