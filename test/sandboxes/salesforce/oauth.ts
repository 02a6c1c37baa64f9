import { randomBytes } from 'node:crypto';
import { SalesforceApiError } from './errors.ts';
import type { Reply } from './http.ts';

/**
 * The OAuth 2.0 web-server flow as Salesforce runs it: /authorize redirects back with a code (the sandbox
 * approves at once), /token trades the code or a refresh token for an access token whose response carries
 * `id`, `access_token`, `instance_url`. Access tokens expire after a configurable time or on demand.
 */
export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  accessTokenTtlMs: number;
  orgId: string;
  userId: string;
}

interface AccessToken {
  expiresAt: number;
}

export class OAuthServer {
  private readonly options: OAuthOptions;
  private readonly codes = new Map<string, string>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Set<string>();
  refreshes = 0;
  issued = 0;
  readonly orgId: string;
  readonly userId: string;

  constructor(options: OAuthOptions) {
    this.options = options;
    this.orgId = options.orgId;
    this.userId = options.userId;
  }

  /** A token set for tests that start already authorised. */
  issueTokens(): { accessToken: string; refreshToken: string } {
    const refreshToken = `5Aep${randomBytes(24).toString('base64url')}`;
    this.refreshTokens.add(refreshToken);
    return { accessToken: this.newAccessToken(), refreshToken };
  }

  private newAccessToken(): string {
    const token = `00D!${randomBytes(32).toString('base64url')}`;
    this.accessTokens.set(token, { expiresAt: Date.now() + this.options.accessTokenTtlMs });
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

  revoke(token: string): void {
    this.accessTokens.delete(token);
    this.refreshTokens.delete(token);
  }

  authorize(query: URLSearchParams): Reply {
    const redirectUri = query.get('redirect_uri');
    if (query.get('client_id') !== this.options.clientId || !redirectUri) {
      return { status: 400, text: 'error=invalid_client_id&error_description=client identifier invalid' };
    }
    const code = `aPrx${randomBytes(16).toString('base64url')}`;
    this.codes.set(code, redirectUri);
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = query.get('state');
    if (state) target.searchParams.set('state', state);
    return { status: 302, headers: { Location: target.toString() } };
  }

  token(form: URLSearchParams, baseUrl: string): Reply {
    const fail = (error: string, description: string): Reply => ({ status: 400, json: { error, error_description: description } });
    if (form.get('client_id') !== this.options.clientId || form.get('client_secret') !== this.options.clientSecret)
      return fail('invalid_client', 'invalid client credentials');
    const grant = form.get('grant_type');
    const identity = {
      instance_url: baseUrl,
      id: `${baseUrl}/id/${this.options.orgId}/${this.options.userId}`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      signature: randomBytes(32).toString('base64'),
      scope: 'api refresh_token',
    };
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const redirectUri = this.codes.get(code);
      if (!redirectUri) return fail('invalid_grant', 'invalid authorization code');
      if (form.get('redirect_uri') !== redirectUri) return fail('redirect_uri_mismatch', 'redirect_uri must match configuration');
      this.codes.delete(code);
      const tokens = this.issueTokens();
      return { status: 200, json: { access_token: tokens.accessToken, refresh_token: tokens.refreshToken, ...identity } };
    }
    if (grant === 'refresh_token') {
      if (!this.refreshTokens.has(form.get('refresh_token') ?? '')) return fail('invalid_grant', 'expired access/refresh token');
      this.refreshes += 1;
      return { status: 200, json: { access_token: this.newAccessToken(), ...identity } };
    }
    return fail('unsupported_grant_type', 'grant type not supported');
  }

  requireSession(authorization: string | undefined): void {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    if (!this.isValid(token)) throw new SalesforceApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  }
}
