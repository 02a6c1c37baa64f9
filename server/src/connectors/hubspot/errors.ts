import { ClosewiseError } from '../../errors/errors.ts';
import { RateLimitedError } from '../errors.ts';

/** HubSpot kept answering 429 (or a daily limit was hit) after our retries. */
export class HubSpotRateLimitedError extends RateLimitedError {
  /** The account's daily limit (private apps) is spent: nothing gets through before `resumeAt`, its next midnight. */
  readonly daily: boolean;
  constructor(message: string, resumeAt: Date | null = null, daily = false) {
    super(message, resumeAt, daily ? { policy: 'DAILY' } : undefined);
    this.daily = daily;
  }
}

/** HubSpot refused our credentials and a token refresh could not fix it. */
export class HubSpotUnauthorizedError extends ClosewiseError {
  constructor(message: string) {
    super('UNAUTHORIZED', message);
  }
}

/**
 * The portal revoked our refresh token (`invalid_grant`): HubSpot's only uninstall signal. The tenant has
 * been disabled; it comes back when the portal installs the app again.
 */
export class HubSpotAppUninstalledError extends ClosewiseError {
  constructor(portalId: string) {
    super(
      'UNAUTHORIZED',
      `HubSpot portal ${portalId} revoked Closewise's access (invalid_grant); the tenant is disabled until the app is installed again`,
    );
  }
}

/** Any other HubSpot failure after retries (5xx, dropped connections, unexpected 4xx). */
export class HubSpotUpstreamError extends ClosewiseError {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super('UPSTREAM', message, status === undefined ? undefined : { status });
    this.status = status;
  }
}
