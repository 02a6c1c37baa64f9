import { z } from 'zod';
import { BadInputError } from '../../errors/errors.ts';
import { HubSpotUpstreamError } from './errors.ts';

/** The app's OAuth settings (from the developer project's auth config and the environment). */
export interface HubSpotOAuthConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
  optionalScopes?: string[];
  /** https://api.hubapi.com in production; the sandbox's URL in tests. */
  apiBasePath: string;
  /** HubSpot's consent page (HUBSPOT_AUTHORIZE_URL); default https://app.hubspot.com/oauth/authorize, as the SDK hard-codes it. */
  authorizeUrl?: string;
  /** How long a token or token-metadata request may wait for HubSpot (default OAUTH_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
}

/**
 * Node's fetch waits minutes for an answer; an install's callback (an admin's browser waiting) and a job's
 * token refresh must not. HubSpot's token endpoint answers in well under a second.
 */
export const OAUTH_REQUEST_TIMEOUT_MS = 15_000;

/** fetch to HubSpot's OAuth API, failing as an upstream error once `timeoutMs` has passed without an answer. */
async function oauthFetch(url: string, init: RequestInit, timeoutMs: number, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new HubSpotUpstreamError(`HubSpot's ${what} did not answer within ${timeoutMs / 1000} s`);
    }
    throw new HubSpotUpstreamError(`HubSpot's ${what} could not be reached: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export const HUBSPOT_AUTHORIZE_URL = 'https://app.hubspot.com/oauth/authorize';

/** Where the portal's admin is sent to approve the install. `state` comes back on the callback. */
export function authorizationUrl(config: HubSpotOAuthConfig, state: string): string {
  const url = new URL(config.authorizeUrl ?? HUBSPOT_AUTHORIZE_URL);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('scope', config.scopes.join(' '));
  if (config.optionalScopes?.length) url.searchParams.set('optional_scope', config.optionalScopes.join(' '));
  url.searchParams.set('state', state);
  return url.toString();
}

/** HubSpot's token response; v1 sends snake_case, newer versions add `hub_id`/`hubId`. */
const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string().optional(),
  hub_id: z.union([z.number(), z.string()]).optional(),
  hubId: z.union([z.number(), z.string()]).optional(),
});

const tokenError = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
  status: z.string().optional(),
  message: z.string().optional(),
});

const accessTokenInfo = z.object({ hub_id: z.union([z.number(), z.string()]), app_id: z.union([z.number(), z.string()]).optional() });

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Absolute expiry, from `expires_in` at the moment HubSpot answered. */
  expiresAt: Date;
  portalId?: string;
}

/** The refresh token was revoked or never existed: the portal uninstalled the app. */
export class InvalidGrantError extends BadInputError {
  constructor(description: string) {
    super(`HubSpot refused the grant (invalid_grant): ${description}`);
  }
}

async function tokenRequest(config: HubSpotOAuthConfig, form: Record<string, string>, now: () => number): Promise<OAuthTokens> {
  const response = await oauthFetch(
    `${config.apiBasePath.replace(/\/$/, '')}/oauth/v1/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ ...form, client_id: config.clientId, client_secret: config.clientSecret }).toString(),
    },
    config.requestTimeoutMs ?? OAUTH_REQUEST_TIMEOUT_MS,
    'token endpoint',
  );
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new HubSpotUpstreamError("HubSpot's token endpoint did not finish its answer in time", response.status);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HubSpotUpstreamError(`HubSpot's token endpoint answered ${response.status} with a body that is not JSON`, response.status);
  }
  if (!response.ok) {
    const error = tokenError.safeParse(json);
    const code = error.success ? error.data.error : undefined;
    const description = error.success ? (error.data.error_description ?? error.data.message ?? '') : '';
    // HubSpot answers a revoked or unknown refresh token with 400 invalid_grant (status BAD_REFRESH_TOKEN).
    if (code === 'invalid_grant' || (error.success && error.data.status === 'BAD_REFRESH_TOKEN')) throw new InvalidGrantError(description);
    if (response.status >= 400 && response.status < 500)
      throw new BadInputError(`HubSpot rejected the token request: ${code ?? response.status} ${description}`.trim());
    throw new HubSpotUpstreamError(`HubSpot's token endpoint failed with ${response.status}`, response.status);
  }
  const tokens = tokenResponse.parse(json);
  const hub = tokens.hub_id ?? tokens.hubId;
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: new Date(now() + tokens.expires_in * 1000),
    ...(hub === undefined ? {} : { portalId: String(hub) }),
  };
}

/** Trades the callback's `code` for tokens, and finds which portal installed us. */
export async function exchangeAuthorizationCode(
  config: HubSpotOAuthConfig,
  code: string,
  now: () => number = Date.now,
): Promise<OAuthTokens & { portalId: string }> {
  const tokens = await tokenRequest(config, { grant_type: 'authorization_code', code, redirect_uri: config.redirectUri }, now);
  const portalId = tokens.portalId ?? (await accessTokenPortal(config, tokens.accessToken));
  return { ...tokens, portalId };
}

export function refreshAccessToken(config: HubSpotOAuthConfig, refreshToken: string, now: () => number = Date.now): Promise<OAuthTokens> {
  return tokenRequest(config, { grant_type: 'refresh_token', refresh_token: refreshToken }, now);
}

/** Access-token metadata: the portal (hub) the token belongs to. */
export async function accessTokenPortal(
  config: Pick<HubSpotOAuthConfig, 'apiBasePath' | 'requestTimeoutMs'>,
  accessToken: string,
): Promise<string> {
  const response = await oauthFetch(
    `${config.apiBasePath.replace(/\/$/, '')}/oauth/v1/access-tokens/${encodeURIComponent(accessToken)}`,
    {},
    config.requestTimeoutMs ?? OAUTH_REQUEST_TIMEOUT_MS,
    'access-token metadata',
  );
  if (!response.ok) throw new HubSpotUpstreamError(`HubSpot's access-token metadata answered ${response.status}`, response.status);
  return String(accessTokenInfo.parse(await response.json()).hub_id);
}
