import type { NextFunction, Request, Response } from 'express';
import type { Caller } from './context.ts';
import type { Clock } from './portal.ts';

/** The portal's HubSpot subscription: it sets a private app's limits (marketplace/OAuth apps get one limit on every tier). */
export type PortalTier = 'free' | 'starter' | 'professional' | 'enterprise';

export interface WindowLimit {
  max: number;
  intervalMs: number;
}

/**
 * HubSpot's published limits (developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview, and the API usage
 * guidelines): a private app gets 100 requests per 10 s on Free/Starter and 190 on Professional/Enterprise, and the
 * account 250,000 / 625,000 / 1,000,000 requests a day, reset at midnight in the account's time zone. A marketplace
 * (OAuth) app gets 110 per 10 s per installing account and no daily limit.
 */
export const PRIVATE_APP_LIMITS: Record<PortalTier, { tenSecondly: WindowLimit; daily: number }> = {
  free: { tenSecondly: { max: 100, intervalMs: 10_000 }, daily: 250_000 },
  starter: { tenSecondly: { max: 100, intervalMs: 10_000 }, daily: 250_000 },
  professional: { tenSecondly: { max: 190, intervalMs: 10_000 }, daily: 625_000 },
  enterprise: { tenSecondly: { max: 190, intervalMs: 10_000 }, daily: 1_000_000 },
};
export const OAUTH_APP_TEN_SECONDLY: WindowLimit = { max: 110, intervalMs: 10_000 };

export interface RateLimitOptions {
  /**
   * Overrides the 10-second window for every token (tests of a tight limit). Unset: HubSpot's per token type —
   * 110 for an OAuth app, the tier's for a private app. `false` turns it off.
   */
  tenSecondly?: WindowLimit | false;
  /** Search's own limit: 5 per second per portal (no rate-limit headers on search responses). */
  searchPerSecond?: number | false;
  /** Overrides the private-app daily quota of the tier (a small one lets a test spend it); `false` turns it off. */
  daily?: number | false;
}

export const DEFAULT_RATE_LIMITS = { searchPerSecond: 5 } as const satisfies RateLimitOptions;

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

/** The calendar date (YYYY-MM-DD) at `now` in `timeZone`: HubSpot's daily limit restarts when it changes. */
export function localDate(now: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now));
}

/** A quota per calendar day of the account's time zone. */
class DailyQuota {
  private day = '';
  private used = 0;
  readonly max: number;
  private readonly timeZone: string;
  constructor(max: number, timeZone: string) {
    this.max = max;
    this.timeZone = timeZone;
  }

  /** Requests left today (the count restarts at the zone's midnight). */
  left(now: number): number {
    const day = localDate(now, this.timeZone);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
    return this.max - this.used;
  }

  /** Counts an accepted request; call only after `left` said there was room. */
  take(): number {
    this.used++;
    return this.max - this.used;
  }
}

function tooMany(res: Response, message: string, policyName: string): void {
  // Read by the stats (per policy): a test tells the 10-second window's refusals from the day's.
  res.locals.rateLimitPolicy = policyName;
  res.status(429).json({
    status: 'error',
    message,
    errorType: 'RATE_LIMIT',
    correlationId: String(res.locals.correlationId ?? ''),
    policyName,
  });
}

export interface PortalRateContext {
  tier: PortalTier;
  /** IANA zone of the account's time-zone setting (the daily limit resets at its midnight). */
  timeZone: string;
}

/**
 * HubSpot's limits. Runs after auth: an OAuth app's 10-second window is per installing portal, a private app's per
 * private app, the daily quota (private apps only) per account. Rejected requests are not counted; HubSpot sends no
 * Retry-After. Private-app responses also carry the daily headers.
 */
export function rateLimiter(options: RateLimitOptions, portal: PortalRateContext, clock: Clock) {
  const merged = { ...DEFAULT_RATE_LIMITS, ...options };
  const tierLimits = PRIVATE_APP_LIMITS[portal.tier];
  const tenSecondlyFor = (privateApp: boolean): WindowLimit | false =>
    merged.tenSecondly !== undefined ? merged.tenSecondly : privateApp ? tierLimits.tenSecondly : OAUTH_APP_TEN_SECONDLY;
  const dailyMax = merged.daily === undefined ? tierLimits.daily : merged.daily;
  const tenSecondly = new Map<string, RollingWindow>();
  const search = new Map<number, RollingWindow>();
  const daily = new Map<number, DailyQuota>();
  const windowOf = <K, W>(map: Map<K, W>, key: K, create: () => W): W => {
    let w = map.get(key);
    if (!w) {
      w = create();
      map.set(key, w);
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
    const privateApp = caller.tokenKind === 'private_app';
    if (req.method === 'POST' && /\/search$/.test(req.path)) {
      const limit = merged.searchPerSecond;
      if (limit && windowOf(search, caller.portalId, () => new RollingWindow(limit, 1000)).take(now) < 0) {
        tooMany(res, 'You have reached your secondly limit.', 'SECONDLY');
      } else next();
      return;
    }
    // The daily quota is checked first: a spent day answers DAILY whatever the 10-second window says.
    const quota = privateApp && dailyMax ? windowOf(daily, caller.portalId, () => new DailyQuota(dailyMax, portal.timeZone)) : undefined;
    if (quota) {
      res.set('X-HubSpot-RateLimit-Daily', String(quota.max));
      const left = quota.left(now);
      res.set('X-HubSpot-RateLimit-Daily-Remaining', String(Math.max(left, 0)));
      if (left <= 0) {
        tooMany(res, 'You have reached your daily limit.', 'DAILY');
        return;
      }
    }
    const limit = tenSecondlyFor(privateApp);
    if (limit) {
      // An OAuth app's window is per installing portal; a private app's per private app (its token).
      const key = privateApp ? `app:${caller.appId}:${caller.portalId}:private` : `app:${caller.appId}:${caller.portalId}`;
      const w = windowOf(tenSecondly, key, () => new RollingWindow(limit.max, limit.intervalMs));
      const left = w.take(now);
      res.set('X-HubSpot-RateLimit-Max', String(w.max));
      res.set('X-HubSpot-RateLimit-Interval-Milliseconds', String(w.intervalMs));
      res.set('X-HubSpot-RateLimit-Remaining', String(Math.max(left, 0)));
      if (left < 0) {
        tooMany(res, 'You have reached your ten_secondly_rolling limit.', 'TEN_SECONDLY_ROLLING');
        return;
      }
    }
    if (quota) res.set('X-HubSpot-RateLimit-Daily-Remaining', String(quota.take()));
    next();
  };
}
