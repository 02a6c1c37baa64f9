import type { NextFunction, Request, Response } from 'express';

export interface FaultOptions {
  /** Added latency per request: a fixed ms, or a [min, max] range. */
  latencyMs?: number | [number, number];
  /** Share (0..1) of requests answered with a 5xx. */
  serverErrorRate?: number;
  /** Which 5xx statuses to draw from (default 500, 502, 503). */
  serverErrorStatuses?: number[];
  /** Share (0..1) of requests whose connection is dropped without an answer. */
  dropRate?: number;
  /** The next N requests get HubSpot's TEN_SECONDLY_ROLLING 429 regardless of the real window. */
  rateLimitStorm?: number;
  /** Seed for the fault dice, so a failing test replays the same faults. */
  seed?: number;
}

/** mulberry32: tiny deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fault injection for the CRM API; settings can be changed while the sandbox runs. */
export class FaultInjector {
  private options: FaultOptions = {};
  private random: () => number = prng(1);
  private storm = 0;

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  set(options: FaultOptions): void {
    this.options = { ...options };
    this.random = prng(options.seed ?? 1);
    this.storm = options.rateLimitStorm ?? 0;
  }

  clear(): void {
    this.set({});
  }

  /** Starts (or extends) a 429 storm of `count` requests. */
  rateLimitStorm(count: number): void {
    this.storm += count;
  }

  middleware() {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      if (!req.path.startsWith('/crm/')) return next();
      const o = this.options;
      if (o.latencyMs !== undefined) {
        const ms = Array.isArray(o.latencyMs) ? o.latencyMs[0] + this.random() * (o.latencyMs[1] - o.latencyMs[0]) : o.latencyMs;
        await new Promise((r) => setTimeout(r, ms));
      }
      if (o.dropRate && this.random() < o.dropRate) {
        req.socket.destroy();
        return;
      }
      if (this.storm > 0) {
        this.storm--;
        res.status(429).json({
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          correlationId: String(res.locals.correlationId ?? ''),
          policyName: 'TEN_SECONDLY_ROLLING',
        });
        return;
      }
      if (o.serverErrorRate && this.random() < o.serverErrorRate) {
        const statuses = o.serverErrorStatuses ?? [500, 502, 503];
        const status = statuses[Math.floor(this.random() * statuses.length)] ?? 500;
        res.status(status).json({
          status: 'error',
          message: 'internal error',
          correlationId: String(res.locals.correlationId ?? ''),
          category: 'INTERNAL_ERROR',
        });
        return;
      }
      next();
    };
  }
}
