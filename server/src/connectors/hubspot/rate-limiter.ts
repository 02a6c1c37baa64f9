/**
 * Client-side limits for one HubSpot portal, so 429s stay rare instead of being the flow control.
 *
 * HubSpot counts a marketplace app's calls per installing portal in a rolling 10-second window (110) and
 * search calls separately (5 per second). A rolling window here mirrors that: a slot opens `intervalMs`
 * after the request that took it has been answered. HubSpot stamps a request when it arrives, which is
 * somewhere between our send and its answer; counting from the answer means our window always frees a slot
 * after HubSpot's does, even when a burst queues up on the way (stamping at send time let a burst through
 * early and earned an occasional 429). The defaults keep a small margin under HubSpot's numbers too.
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

/** Releases a slot taken by `acquire`: call it when the response (or error) arrived. */
export type ReleaseSlot = () => void;

/** A FIFO rolling-window limiter: `acquire()` resolves when a request may be sent. */
export class RollingWindowLimiter {
  readonly limit: WindowLimit;
  /** When each counted request was answered; Infinity while it is still in flight. */
  private readonly slots: number[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private pausedUntil = 0;
  private readonly now: () => number;
  private readonly sleep: Sleep;

  constructor(limit: WindowLimit, clock: { now?: () => number; sleep?: Sleep } = {}) {
    this.limit = limit;
    this.now = clock.now ?? Date.now;
    this.sleep = clock.sleep ?? defaultSleep;
  }

  /** Waits for a slot; callers are served in the order they asked. Call the returned function when answered. */
  acquire(): Promise<ReleaseSlot> {
    const turn = this.queue.then(() => this.waitForSlot());
    // A failed wait must not wedge the queue for everyone behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** After a 429 the server knows better than our count: send nothing before `until`. */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  private async waitForSlot(): Promise<ReleaseSlot> {
    for (;;) {
      const now = this.now();
      if (now < this.pausedUntil) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      const horizon = now - this.limit.intervalMs;
      for (let i = this.slots.length - 1; i >= 0; i--) if ((this.slots[i] as number) <= horizon) this.slots.splice(i, 1);
      if (this.slots.length < this.limit.max) {
        this.slots.push(Number.POSITIVE_INFINITY);
        return this.releaser();
      }
      const earliest = Math.min(...this.slots);
      // Every slot is in flight: wait a little for an answer rather than a whole window.
      await this.sleep(Number.isFinite(earliest) ? earliest + this.limit.intervalMs - now + 1 : 10);
    }
  }

  /** In-flight slots are interchangeable: releasing stamps any one of them with the answer's time. */
  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const index = this.slots.indexOf(Number.POSITIVE_INFINITY);
      if (index >= 0) this.slots[index] = this.now();
    };
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
