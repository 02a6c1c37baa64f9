import { Connection, OAuth2 } from 'jsforce';
import { UnauthorizedError } from '../../errors/errors.ts';
import { type EncryptedTokenStore, saveTokens, type TokenCipher } from './tokens.ts';

/**
 * The OAuth 2.0 web-server flow with jsforce: send the admin to `authorizationUrl`, Salesforce redirects
 * back with a code, `completeAuthorization` trades it for tokens and stores them encrypted.
 */
export interface SalesforceOAuthConfig {
  /** https://login.salesforce.com (or test.salesforce.com, or a My Domain); the sandbox's URL in tests. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export function oauth2Of(config: SalesforceOAuthConfig): OAuth2 {
  return new OAuth2({
    loginUrl: config.loginUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
  });
}

/** `state` must be an unguessable value tied to the admin's session (CSRF protection on the callback). */
export function authorizationUrl(config: SalesforceOAuthConfig, state: string): string {
  return oauth2Of(config).getAuthorizationUrl({ state, scope: 'api refresh_token' });
}

export async function completeAuthorization(
  config: SalesforceOAuthConfig,
  code: string,
  deps: { store: EncryptedTokenStore; cipher: TokenCipher; apiVersion: string; now?: () => Date },
): Promise<{ organizationId: string; userId: string; instanceUrl: string }> {
  const conn = new Connection({ oauth2: oauth2Of(config), version: deps.apiVersion });
  let userInfo: { id: string; organizationId: string };
  try {
    userInfo = await conn.authorize(code);
  } catch (error) {
    throw new UnauthorizedError(`Salesforce refused the authorization code: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!conn.refreshToken)
    throw new UnauthorizedError('Salesforce returned no refresh token: add the refresh_token scope to the connected app');
  await saveTokens(deps.store, deps.cipher, {
    accessToken: conn.accessToken ?? '',
    refreshToken: conn.refreshToken,
    instanceUrl: conn.instanceUrl,
    issuedAt: (deps.now?.() ?? new Date()).toISOString(),
  });
  return { organizationId: userInfo.organizationId, userId: userInfo.id, instanceUrl: conn.instanceUrl };
}
