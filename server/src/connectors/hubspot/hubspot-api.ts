import type { Client } from '@hubspot/api-client';
import { markCrmFailure } from '../errors.ts';
import { nextDailyReset } from './api-limits.ts';
import { classifyHubSpotError } from './classify-error.ts';
import { HubSpotRateLimitedError, HubSpotUnauthorizedError } from './errors.ts';
import { hubSpotErrorBody, hubSpotErrorHeaders, hubSpotErrorStatus } from './hubspot-client.ts';
import type { PortalLimiters } from './rate-limiter.ts';
import type { TokenProvider } from './token-provider.ts';

export type CallKind = 'standard' | 'search';

export interface RetryPolicy {
  /** Attempts after the first for 429, 5xx and dropped connections. */
  retries: number;
  /** First backoff for 5xx and dropped connections; doubles each attempt. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseDelayMs: 500 };

/**
 * How long one attempt may wait for HubSpot's answer. The SDK's fetch has no timeout of its own (Node's
 * fetch waits 5 minutes for headers), so a HubSpot that accepts connections and never answers would hold a
 * job that long per attempt. HubSpot's batch endpoints answer in well under a second; 30 s is only for
 * the pathological case, and the attempt is then retried like a dropped connection.
 */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;

/** The error an attempt that outlived its timeout fails with: shaped like a network timeout, so it is retried. */
function attemptTimedOut(ms: number): Error {
  return Object.assign(new Error(`HubSpot did not answer within ${ms / 1000} s`), { code: 'ETIMEDOUT' });
}

/** `work`, or a timeout error after `ms`; the abandoned request is left to finish on its own. */
async function withinAttemptTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(attemptTimedOut(ms)), ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a run cost, for benchmarks and logs. */
export interface ApiCounters {
  requests: number;
  rateLimited: number;
  retried: number;
  refreshed: number;
}

type Sleep = (ms: number) => Promise<void>;
const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every HubSpot call of one portal goes through `call`: it waits for the portal's limiter, sends the current
 * access token, refreshes it once on 401, and retries 429/5xx/dropped connections as HubSpot's headers say.
 */
export class HubSpotApi {
  readonly client: Client;
  readonly portalId: string;
  readonly counters: ApiCounters = { requests: 0, rateLimited: 0, retried: 0, refreshed: 0 };
  private readonly limiters: PortalLimiters;
  private readonly tokens: TokenProvider;
  private readonly retry: RetryPolicy;
  private readonly attemptTimeoutMs: number;
  private readonly timeZone: string;
  private readonly now: () => number;
  private tokenInClient: string | undefined;

  constructor(options: {
    client: Client;
    portalId: string;
    limiters: PortalLimiters;
    tokens: TokenProvider;
    retry?: RetryPolicy;
    attemptTimeoutMs?: number;
    /** The account's time zone (IANA): its midnight is when a spent daily limit starts over. UTC when unknown. */
    timeZone?: string;
    now?: () => number;
  }) {
    this.client = options.client;
    this.portalId = options.portalId;
    this.limiters = options.limiters;
    this.tokens = options.tokens;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    this.timeZone = options.timeZone ?? 'UTC';
    this.now = options.now ?? Date.now;
  }

  async call<T>(kind: CallKind, request: (client: Client) => Promise<T>): Promise<T> {
    let refreshedOnce = false;
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.current();
      if (token !== this.tokenInClient) {
        this.client.setAccessToken(token);
        this.tokenInClient = token;
      }
      const release = await this.limiters[kind].acquire();
      this.counters.requests++;
      try {
        return await withinAttemptTimeout(request(this.client), this.attemptTimeoutMs);
      } catch (error) {
        const status = hubSpotErrorStatus(error);
        if (status === 401) {
          // An access token can expire between our check and HubSpot's: refresh and try once more.
          const fresh = refreshedOnce ? null : await this.tokens.refreshAfterUnauthorized(token);
          if (!fresh) throw new HubSpotUnauthorizedError(`HubSpot rejected the credentials of portal ${this.portalId}`);
          refreshedOnce = true;
          this.counters.refreshed++;
          attempt--;
          continue;
        }
        const wait = this.retryDelay(error, status, attempt, kind);
        if (wait === null || attempt >= this.retry.retries) {
          // A 429 becomes the typed rate-limit error (a daily limit is never retried); anything else is
          // rethrown as the SDK raised it, for callers inside the connector that look at its status (404 of a
          // record, 4xx of one bad input in a batch), marked so the connector's edge classifies it.
          if (classifyHubSpotError(error).kind !== 'rate_limited') throw markCrmFailure(error);
          if (hubSpotErrorBody(error).policyName === 'DAILY') {
            // HubSpot sends no reset time: the day of the account's time zone ends at its midnight.
            const resumeAt = nextDailyReset(this.now(), this.timeZone);
            throw new HubSpotRateLimitedError(
              `daily API limit reached for HubSpot portal ${this.portalId}; resumes at ${resumeAt.toISOString()}`,
              resumeAt,
              true,
            );
          }
          const { retryAfterMs } = classifyHubSpotError(error);
          throw new HubSpotRateLimitedError(
            `HubSpot kept rate-limiting portal ${this.portalId} after ${attempt + 1} attempts`,
            retryAfterMs === undefined ? null : new Date(Date.now() + retryAfterMs),
          );
        }
        this.counters.retried++;
        release();
        await sleep(wait);
      } finally {
        release();
      }
    }
  }

  /** How long to wait before retrying, or null when retrying cannot help. */
  private retryDelay(error: unknown, status: number | undefined, attempt: number, kind: CallKind): number | null {
    const backoff = this.retry.baseDelayMs * 2 ** attempt;
    if (status === 429) {
      this.counters.rateLimited++;
      const headers = hubSpotErrorHeaders(error);
      const policy = hubSpotErrorBody(error).policyName;
      if (policy === 'DAILY') return null;
      // HubSpot sends no Retry-After today; honour it if it ever does. Otherwise the policy's window (the
      // interval header for TEN_SECONDLY_ROLLING, one second for SECONDLY) sets the scale: a tenth of it,
      // doubling per attempt, never more than the whole window, after which every counted slot has expired.
      const retryAfter = Number(headers['retry-after']);
      const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
      const window = policy === 'SECONDLY' || kind === 'search' ? 1000 : Number.isFinite(interval) && interval > 0 ? interval : 10_000;
      const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(window, (window / 10) * 2 ** attempt);
      // Stop the whole portal, not just this caller: every other request would hit the same wall.
      this.limiters[kind].pauseUntil(Date.now() + wait);
      return 0;
    }
    if (status !== undefined && status >= 500) return backoff;
    // No HTTP status: the connection dropped or timed out before HubSpot answered.
    if (status === undefined && isNetworkError(error)) return backoff;
    return null;
  }
}

function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown; cause?: { code?: unknown } })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  const name = (error as { name?: unknown })?.name;
  return (
    name === 'FetchError' ||
    (typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_SOCKET|ECONNABORTED)$/.test(code)) ||
    (error instanceof TypeError && /fetch failed|socket|network/i.test(error.message))
  );
}
