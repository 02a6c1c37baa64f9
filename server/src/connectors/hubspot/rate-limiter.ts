/**
 * Client-side limits for one HubSpot portal, so 429s stay rare instead of being the flow control.
 *
 * HubSpot counts a marketplace app's calls per installing portal in a rolling 10-second window (110) and
 * search calls separately (5 per second). A rolling window here mirrors that exactly: a slot opens when the
 * request that took it is `intervalMs` old. The defaults keep a small margin under HubSpot's numbers because
 * HubSpot stamps a request when it arrives, a little after we stamp it when we send it.
 */

export interface WindowLimit {
  max: number;
  intervalMs: number;
}

export interface PortalLimits {
  /** Every CRM call except search. */
  standard: WindowLimit;
  /** CRM search, which HubSpot limits on its own. */
  search: WindowLimit;
}

/** HubSpot's published limits for a marketplace app, per installing portal. */
export const HUBSPOT_LIMITS: PortalLimits = {
  standard: { max: 110, intervalMs: 10_000 },
  search: { max: 5, intervalMs: 1000 },
};

/** What we allow ourselves by default: 105 of 110 per 10 s and 4 searches per 1.05 s. */
export const DEFAULT_PORTAL_LIMITS: PortalLimits = {
  standard: { max: 105, intervalMs: 10_000 },
  search: { max: 4, intervalMs: 1050 },
};

type Sleep = (ms: number) => Promise<void>;
const defaultSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A FIFO rolling-window limiter: `acquire()` resolves when a request may be sent. */
export class RollingWindowLimiter {
  readonly limit: WindowLimit;
  private readonly sent: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private pausedUntil = 0;
  private readonly now: () => number;
  private readonly sleep: Sleep;

  constructor(limit: WindowLimit, clock: { now?: () => number; sleep?: Sleep } = {}) {
    this.limit = limit;
    this.now = clock.now ?? Date.now;
    this.sleep = clock.sleep ?? defaultSleep;
  }

  /** Waits for a slot; callers are served in the order they asked. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    // A failed wait must not wedge the queue for everyone behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** After a 429 the server knows better than our count: send nothing before `until`. */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.now();
      if (now < this.pausedUntil) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      while (this.sent.length > 0 && (this.sent[0] as number) <= now - this.limit.intervalMs) this.sent.shift();
      if (this.sent.length < this.limit.max) {
        this.sent.push(now);
        return;
      }
      await this.sleep((this.sent[0] as number) + this.limit.intervalMs - now + 1);
    }
  }
}

export interface PortalLimiters {
  standard: RollingWindowLimiter;
  search: RollingWindowLimiter;
}

/**
 * One set of limiters per portal for the whole process: every connector, sync and webhook refresh for a
 * portal shares one budget, and two portals never share one.
 */
const registry = new Map<string, PortalLimiters>();

export function limitersForPortal(portalId: string, limits: PortalLimits = DEFAULT_PORTAL_LIMITS): PortalLimiters {
  const key = `${portalId}|${limits.standard.max}/${limits.standard.intervalMs}|${limits.search.max}/${limits.search.intervalMs}`;
  let limiters = registry.get(key);
  if (!limiters) {
    limiters = { standard: new RollingWindowLimiter(limits.standard), search: new RollingWindowLimiter(limits.search) };
    registry.set(key, limiters);
  }
  return limiters;
}
