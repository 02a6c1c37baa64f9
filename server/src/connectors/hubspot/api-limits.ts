import { DEFAULT_PORTAL_LIMITS, type PortalLimits } from './rate-limiter.ts';

/** The portal's HubSpot subscription tier: it sets a private app's API limits (HUBSPOT_TIER). */
export const HUBSPOT_TIERS = ['free', 'starter', 'professional', 'enterprise'] as const;
export type HubSpotTier = (typeof HUBSPOT_TIERS)[number];

export interface HubSpotApiLimits {
  /** Requests per rolling 10 s (search excluded: it has its own 5 / s). */
  tenSecondly: number;
  /** Requests per day of the account's time zone; null: no daily limit (OAuth apps). */
  daily: number | null;
}

/**
 * HubSpot's published limits (developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview): a private app
 * gets 100 requests / 10 s on Free and Starter, 190 on Professional and Enterprise, and the account 250,000 /
 * 625,000 / 1,000,000 a day; a marketplace (OAuth) app 110 / 10 s per installing account and no daily limit.
 */
const PRIVATE_APP: Record<HubSpotTier, HubSpotApiLimits> = {
  free: { tenSecondly: 100, daily: 250_000 },
  starter: { tenSecondly: 100, daily: 250_000 },
  professional: { tenSecondly: 190, daily: 625_000 },
  enterprise: { tenSecondly: 190, daily: 1_000_000 },
};
const OAUTH_APP: HubSpotApiLimits = { tenSecondly: 110, daily: null };

export function hubSpotApiLimits(authMode: 'oauth' | 'private_app', tier: HubSpotTier): HubSpotApiLimits {
  return authMode === 'private_app' ? PRIVATE_APP[tier] : OAUTH_APP;
}

/**
 * What the connector allows itself per process: HubSpot's 10-second limit less 5 (105 of an OAuth app's 110,
 * 95 of a Free private app's 100), so requests HubSpot stamps a moment apart from us never make a 429.
 */
export function plannedPortalLimits(limits: HubSpotApiLimits): PortalLimits {
  return { ...DEFAULT_PORTAL_LIMITS, standard: { max: limits.tenSecondly - 5, intervalMs: 10_000 } };
}

/** Wall-clock fields of `at` in `timeZone`. */
function wallClock(at: number, timeZone: string): { y: number; m: number; d: number; ms: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(new Date(at))
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const y = parts.year ?? 1970;
  const m = parts.month ?? 1;
  const d = parts.day ?? 1;
  const wall = Date.UTC(y, m - 1, d, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0) + (at % 1000);
  return { y, m, d, ms: wall - at };
}

/**
 * When HubSpot's daily limit starts over: the next midnight in the account's time zone ("The daily limits reset
 * at midnight based on the time zone setting of the HubSpot account", developers.hubspot.com/apisbytier).
 */
export function nextDailyReset(now: number, timeZone: string): Date {
  const today = wallClock(now, timeZone);
  const midnightAsUtc = Date.UTC(today.y, today.m - 1, today.d + 1);
  // The offset at the guess, then at the corrected instant: right across a DST change too.
  let at = midnightAsUtc - today.ms;
  at = midnightAsUtc - wallClock(at, timeZone).ms;
  return new Date(at);
}
