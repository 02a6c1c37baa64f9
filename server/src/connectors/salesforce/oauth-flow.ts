import { Connection, OAuth2 } from 'jsforce';
import { BadInputError, UpstreamError } from '../../errors/errors.ts';
import type { Pkce } from './pkce.ts';
import { boundSalesforceRequests } from './request-timeout.ts';
import { type EncryptedTokenStore, saveTokens, type TokenCipher } from './tokens.ts';

// The code exchange and the revoke call have a timeout too (jsforce's own default is half an hour).
boundSalesforceRequests();

/**
 * The OAuth 2.0 web-server flow with jsforce: send the admin to `authorizationUrl`, Salesforce redirects
 * back with a code, `completeAuthorization` trades it (with the PKCE verifier) for tokens and stores them
 * encrypted.
 */
export interface SalesforceOAuthConfig {
  /** https://login.salesforce.com (or test.salesforce.com, or a My Domain); the sandbox's URL in tests. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** What Closewise asks for: the REST and Bulk APIs, and a refresh token to keep syncing while nobody is logged in. */
export const SALESFORCE_SCOPES = 'api refresh_token';

export function oauth2Of(config: SalesforceOAuthConfig): OAuth2 {
  return new OAuth2({
    loginUrl: config.loginUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
  });
}

/**
 * `state` must be an unguessable value tied to the admin's browser (CSRF protection on the callback); with
 * `pkce`, the code is bound to its verifier (S256).
 */
export function authorizationUrl(config: SalesforceOAuthConfig, state: string, pkce?: Pick<Pkce, 'codeChallenge'>): string {
  return oauth2Of(config).getAuthorizationUrl({
    state,
    scope: SALESFORCE_SCOPES,
    ...(pkce ? { code_challenge: pkce.codeChallenge, code_challenge_method: 'S256' } : {}),
  });
}

export async function completeAuthorization(
  config: SalesforceOAuthConfig,
  code: string,
  deps: { store: EncryptedTokenStore; cipher: TokenCipher; apiVersion: string; codeVerifier?: string; now?: () => Date },
): Promise<{ organizationId: string; userId: string; instanceUrl: string }> {
  const oauth2 = oauth2Of(config);
  // jsforce sends its codeVerifier with the token request; only this exchange's OAuth2 carries one.
  if (deps.codeVerifier) oauth2.codeVerifier = deps.codeVerifier;
  const conn = new Connection({ oauth2, version: deps.apiVersion });
  let userInfo: { id: string; organizationId: string };
  try {
    userInfo = await conn.authorize(code);
  } catch (error) {
    throw tokenEndpointError(error, config);
  }
  if (!conn.refreshToken)
    throw new BadInputError(
      'Salesforce returned no refresh token: add "Perform requests at any time (refresh_token, offline_access)" to the connected app\'s OAuth scopes, then install again',
    );
  await saveTokens(deps.store, deps.cipher, {
    accessToken: conn.accessToken ?? '',
    refreshToken: conn.refreshToken,
    instanceUrl: conn.instanceUrl,
    issuedAt: (deps.now?.() ?? new Date()).toISOString(),
  });
  return { organizationId: userInfo.organizationId, userId: userInfo.id, instanceUrl: conn.instanceUrl };
}

/** The OAuth error code jsforce put in `name` (invalid_grant, …), or undefined for a transport failure. */
export function oauthErrorCode(error: unknown): string | undefined {
  const name = error instanceof Error ? error.name : undefined;
  return name && /^[a-z_]+$/.test(name) ? name : undefined;
}

/**
 * Salesforce's refusals are the install's problem to fix (start again, fix the connected app): 400 with what
 * Salesforce said. A token endpoint that cannot be reached or fails is Salesforce's: 502.
 */
function tokenEndpointError(error: unknown, config: SalesforceOAuthConfig): Error {
  const code = oauthErrorCode(error);
  const said = error instanceof Error ? error.message : String(error);
  if (code === 'invalid_client' || code === 'invalid_client_id') {
    return new BadInputError(
      `Salesforce refused Closewise's connected app (${code}: ${said}): SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET must be the app's consumer key and secret`,
    );
  }
  if (code) return new BadInputError(`Salesforce refused the authorization code (${code}: ${said}); start the install again`);
  return new UpstreamError(
    `Salesforce's token endpoint at ${config.loginUrl} did not answer the code exchange (${said}); try the install again`,
  );
}
