import { createHash, randomBytes } from 'node:crypto';
import { SalesforceApiError } from './errors.ts';
import type { Reply } from './http.ts';

/**
 * The OAuth 2.0 web-server flow as Salesforce runs it for a connected (or external client) app:
 * - GET /services/oauth2/authorize checks the client id and that redirect_uri is one of the app's callback
 *   URLs (exact match), then shows a login/consent page; its "Allow" posts back and Salesforce redirects to
 *   the callback with `code` and `state`, "Deny" with `error=access_denied`.
 * - PKCE: a `code_challenge` (S256) binds the code to a `code_verifier` the token request must carry; an app
 *   that requires PKCE refuses an authorize request without a challenge.
 * - POST /services/oauth2/token trades a code (single use, 15 minutes) or a refresh token for an access
 *   token whose response carries `id`, `access_token`, `instance_url`.
 * - POST /services/oauth2/revoke revokes an access token, or a refresh token with its access tokens.
 * Access tokens expire after a configurable time or on demand.
 */
export interface ConnectedApp {
  clientId: string;
  clientSecret: string;
  /** The app's callback URLs: redirect_uri must equal one of them. */
  redirectUris: readonly string[];
  /** "Require Proof Key for Code Exchange (PKCE) Extension for Supported Authorization Flows". */
  requirePkce: boolean;
}

export interface OAuthOptions {
  apps: ConnectedApp[];
  accessTokenTtlMs: number;
  /** Salesforce: an authorization code is good for 15 minutes. */
  authorizationCodeTtlMs: number;
  orgId: string;
  userId: string;
  username: string;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  scope: string | null;
  codeChallenge: string | null;
  expiresAt: number;
  used: boolean;
}

interface AccessToken {
  expiresAt: number;
  /** The refresh token it came from: revoking that one revokes this too. */
  refreshToken: string | null;
}

/** The parameters of an authorize request a consent page carries to its form. */
const AUTHORIZE_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'];

export class OAuthServer {
  private readonly options: OAuthOptions;
  private readonly apps: Map<string, ConnectedApp>;
  private readonly codes = new Map<string, IssuedCode>();
  private readonly accessTokens = new Map<string, AccessToken>();
  /** Refresh token → the app it was issued to. */
  private readonly refreshTokens = new Map<string, string>();
  refreshes = 0;
  issued = 0;
  revocations = 0;
  readonly orgId: string;
  readonly userId: string;

  constructor(options: OAuthOptions) {
    this.options = options;
    this.apps = new Map(options.apps.map((app) => [app.clientId, app]));
    this.orgId = options.orgId;
    this.userId = options.userId;
  }

  /** A token set for tests that start already authorised (the first app's). */
  issueTokens(clientId = this.options.apps[0]?.clientId ?? ''): { accessToken: string; refreshToken: string } {
    const refreshToken = `5Aep${randomBytes(24).toString('base64url')}`;
    this.refreshTokens.set(refreshToken, clientId);
    return { accessToken: this.newAccessToken(refreshToken), refreshToken };
  }

  private newAccessToken(refreshToken: string | null): string {
    const token = `00D!${randomBytes(32).toString('base64url')}`;
    this.accessTokens.set(token, { expiresAt: Date.now() + this.options.accessTokenTtlMs, refreshToken });
    this.issued += 1;
    return token;
  }

  isValid(accessToken: string | undefined): boolean {
    if (!accessToken) return false;
    const token = this.accessTokens.get(accessToken);
    return token !== undefined && token.expiresAt > Date.now();
  }

  expireAll(): void {
    for (const token of this.accessTokens.values()) token.expiresAt = 0;
  }

  /** Every code issued so far is past its 15 minutes. */
  expireCodes(): void {
    for (const code of this.codes.values()) code.expiresAt = 0;
  }

  /** As an admin revoking the app's access in Setup (Connected Apps OAuth Usage): every token stops working. */
  revokeAll(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  /** How many refresh tokens are still live (tests of revocation). */
  liveRefreshTokens(): number {
    return this.refreshTokens.size;
  }

  /**
   * The checks Salesforce makes before it shows the login page, in its order. Client id and callback URL
   * problems are shown on Salesforce's own error page (it will not redirect to an unregistered URL); the
   * rest go back to the callback as `error` and `error_description`.
   */
  private checkAuthorizeRequest(params: URLSearchParams): { app: ConnectedApp; redirectUri: string } | Reply {
    const app = this.apps.get(params.get('client_id') ?? '');
    if (!app) return errorPage('invalid_client_id', 'client identifier invalid');
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!app.redirectUris.includes(redirectUri)) return errorPage('redirect_uri_mismatch', 'redirect_uri must match configuration');
    const state = params.get('state');
    if (params.get('response_type') !== 'code')
      return redirectWith(redirectUri, { error: 'unsupported_response_type', error_description: 'response type not supported' }, state);
    const challenge = params.get('code_challenge');
    const method = params.get('code_challenge_method');
    if (method !== null && method !== 'S256')
      return redirectWith(redirectUri, { error: 'invalid_request', error_description: 'invalid code_challenge_method' }, state);
    if (challenge !== null && !/^[A-Za-z0-9_-]{43}$/.test(challenge))
      return redirectWith(redirectUri, { error: 'invalid_request', error_description: 'invalid code_challenge' }, state);
    if (app.requirePkce && challenge === null)
      return redirectWith(redirectUri, { error: 'invalid_request', error_description: 'missing required code challenge' }, state);
    return { app, redirectUri };
  }

  /** GET /services/oauth2/authorize: the login and consent page (the sandbox's user is always logged in). */
  authorizePage(params: URLSearchParams): Reply {
    const checked = this.checkAuthorizeRequest(params);
    if ('status' in checked) return checked;
    const hidden = AUTHORIZE_PARAMS.flatMap((name) => {
      const value = params.get(name);
      return value === null ? [] : [`<input type="hidden" name="${name}" value="${escapeHtml(value)}">`];
    }).join('\n      ');
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Allow Access? | Salesforce</title></head>
<body>
  <main>
    <h1>Allow Access?</h1>
    <p>Logged in as <strong>${escapeHtml(this.options.username)}</strong> (org ${this.orgId}).</p>
    <p>The connected app <strong>${escapeHtml(checked.app.clientId)}</strong> is asking to access your data
      (${escapeHtml(params.get('scope') ?? 'the scopes set on the app')}).</p>
    <form method="post" action="/services/oauth2/authorize">
      ${hidden}
      <button type="submit" name="decision" value="deny">Deny</button>
      <button type="submit" name="decision" value="allow">Allow</button>
    </form>
  </main>
</body></html>`;
    return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, text: html };
  }

  /** POST /services/oauth2/authorize: the consent page's answer. */
  decide(form: URLSearchParams): Reply {
    const checked = this.checkAuthorizeRequest(form);
    if ('status' in checked) return checked;
    const state = form.get('state');
    if (form.get('decision') !== 'allow')
      return redirectWith(checked.redirectUri, { error: 'access_denied', error_description: 'end-user denied authorization' }, state);
    const code = `aPrx${randomBytes(16).toString('base64url')}`;
    this.codes.set(code, {
      clientId: checked.app.clientId,
      redirectUri: checked.redirectUri,
      scope: form.get('scope'),
      codeChallenge: form.get('code_challenge'),
      expiresAt: Date.now() + this.options.authorizationCodeTtlMs,
      used: false,
    });
    return redirectWith(checked.redirectUri, { code }, state);
  }

  token(form: URLSearchParams, baseUrl: string): Reply {
    const fail = (error: string, description: string): Reply => ({ status: 400, json: { error, error_description: description } });
    const app = this.apps.get(form.get('client_id') ?? '');
    if (!app) return fail('invalid_client_id', 'client identifier invalid');
    if (form.get('client_secret') !== app.clientSecret) return fail('invalid_client', 'invalid client credentials');
    const grant = form.get('grant_type');
    const identity = (scope: string) => ({
      instance_url: baseUrl,
      id: `${baseUrl}/id/${this.options.orgId}/${this.options.userId}`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      signature: randomBytes(32).toString('base64'),
      scope,
    });
    if (grant === 'authorization_code') {
      const issued = this.codes.get(form.get('code') ?? '');
      if (!issued || issued.clientId !== app.clientId) return fail('invalid_grant', 'invalid authorization code');
      if (issued.used || issued.expiresAt <= Date.now()) return fail('invalid_grant', 'expired authorization code');
      if (form.get('redirect_uri') !== issued.redirectUri) return fail('redirect_uri_mismatch', 'redirect_uri must match configuration');
      if (issued.codeChallenge !== null && s256(form.get('code_verifier') ?? '') !== issued.codeChallenge)
        return fail('invalid_grant', 'invalid code verifier');
      issued.used = true;
      // Without a scope the app's own scopes apply (the sandbox's app has api and refresh_token).
      const scope = issued.scope ?? 'api refresh_token';
      const scopes = scope.split(/\s+/);
      if (!scopes.includes('refresh_token') && !scopes.includes('offline_access')) {
        return { status: 200, json: { access_token: this.newAccessToken(null), ...identity(scope) } };
      }
      const tokens = this.issueTokens(app.clientId);
      return { status: 200, json: { access_token: tokens.accessToken, refresh_token: tokens.refreshToken, ...identity(scope) } };
    }
    if (grant === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? '';
      if (this.refreshTokens.get(refreshToken) !== app.clientId) return fail('invalid_grant', 'expired access/refresh token');
      this.refreshes += 1;
      return { status: 200, json: { access_token: this.newAccessToken(refreshToken), ...identity('api refresh_token') } };
    }
    return fail('unsupported_grant_type', 'grant type not supported');
  }

  /** POST /services/oauth2/revoke: 200 when revoked; 400 for every error (an unknown token: invalid_token). */
  revoke(form: URLSearchParams): Reply {
    const token = form.get('token') ?? '';
    if (this.accessTokens.delete(token)) {
      this.revocations += 1;
      return { status: 200, text: '' };
    }
    if (this.refreshTokens.delete(token)) {
      for (const [access, issued] of this.accessTokens) if (issued.refreshToken === token) this.accessTokens.delete(access);
      this.revocations += 1;
      return { status: 200, text: '' };
    }
    return {
      status: 400,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      text: new URLSearchParams({ error: 'invalid_token', error_description: 'Token was invalid' }).toString(),
    };
  }

  requireSession(authorization: string | undefined): void {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    if (!this.isValid(token)) throw new SalesforceApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  }
}

/** base64url(SHA-256(verifier)), the S256 code challenge (RFC 7636). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function redirectWith(redirectUri: string, params: Record<string, string>, state: string | null): Reply {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  if (state !== null) target.searchParams.set('state', state);
  return { status: 302, headers: { Location: target.toString() } };
}

/**
 * Salesforce's own error page (RemoteAccessErrorPage), shown instead of redirecting when the client id or
 * callback URL is wrong: it prints the error as `error=…&error_description=…`.
 */
function errorPage(error: string, description: string): Reply {
  const line = `error=${error}&error_description=${encodeURIComponent(description)}`;
  return {
    status: 400,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    text: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Error | Salesforce</title></head><body><p>${escapeHtml(line)}</p></body></html>`,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
