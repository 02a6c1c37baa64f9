import { randomBytes, randomUUID } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { TokenRegistry } from './auth.ts';
import { checkAuthorizeRequest, connectionFailedPage, consentPage } from './oauth-consent.ts';
import type { Clock } from './portal.ts';

export interface OAuthAppOptions {
  clientId: string;
  clientSecret: string;
  appId: string;
  redirectUris: string[];
  /** Access-token lifetime; HubSpot's is 30 minutes. */
  accessTokenTtlSeconds?: number;
  /** The app's required scopes, which the install URL's `scope` must name exactly (default: `oauth`, in every app). */
  requiredScopes?: string[];
  /** The app's optional scopes, the only ones `optional_scope` may name (default none). */
  optionalScopes?: string[];
}

interface AuthCode {
  code: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
  userId: number;
  userEmail: string;
}

interface RefreshToken {
  token: string;
  scopes: string[];
  userId: number;
  userEmail: string;
}

const tokenForm = z.object({
  grant_type: z.enum(['authorization_code', 'refresh_token']),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  redirect_uri: z.string().optional(),
  code: z.string().optional(),
  refresh_token: z.string().optional(),
});

/**
 * The OAuth half of a marketplace app's life: install (authorization code), refresh, uninstall (revocation).
 * Token-endpoint errors use HubSpot's body: `{ status: 'BAD_…', message, correlationId, error, error_description }`.
 */
export class OAuthServer {
  private readonly codes = new Map<string, AuthCode>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly issuedAccess = new Set<string>();
  readonly app: Required<OAuthAppOptions>;
  private readonly portalId: number;
  private readonly tokens: TokenRegistry;
  private readonly clock: Clock;

  constructor(app: OAuthAppOptions, portalId: number, tokens: TokenRegistry, clock: Clock) {
    this.app = { accessTokenTtlSeconds: 1800, requiredScopes: ['oauth'], optionalScopes: [], ...app };
    this.portalId = portalId;
    this.tokens = tokens;
    this.clock = clock;
  }

  /** Simulates a user approving the install: returns a single-use code valid for 5 minutes. */
  authorize(input: { redirectUri: string; scopes?: string[]; userEmail?: string }): string {
    if (!this.app.redirectUris.includes(input.redirectUri)) throw new Error(`redirect_uri ${input.redirectUri} is not registered`);
    const code = randomUUID();
    this.codes.set(code, {
      code,
      redirectUri: input.redirectUri,
      scopes: input.scopes ?? ['oauth'],
      expiresAt: this.clock() + 5 * 60_000,
      userId: 7_000_001,
      userEmail: input.userEmail ?? 'installer@example.com',
    });
    return code;
  }

  /** Uninstall: every refresh and access token of the app stops working. */
  revokeAll(): void {
    this.refreshTokens.clear();
    for (const t of this.issuedAccess) this.tokens.revoke(t);
    this.issuedAccess.clear();
  }

  revokeRefreshToken(token: string): boolean {
    return this.refreshTokens.delete(token);
  }

  private issue(grant: { scopes: string[]; userId: number; userEmail: string }, refreshToken: string) {
    const access = `CN${randomBytes(48).toString('base64url')}`;
    this.tokens.add({
      token: access,
      portalId: this.portalId,
      appId: this.app.appId,
      kind: 'oauth',
      expiresAt: this.clock() + this.app.accessTokenTtlSeconds * 1000,
      scopes: grant.scopes,
      userId: grant.userId,
      userEmail: grant.userEmail,
    });
    this.issuedAccess.add(access);
    return {
      token_type: 'bearer',
      refresh_token: refreshToken,
      access_token: access,
      expires_in: this.app.accessTokenTtlSeconds,
      hub_id: this.portalId,
    };
  }

  router(): Router {
    const router = Router();
    const fail = (res: Response, status: string, error: string, message: string, http = 400) =>
      res.status(http).json({
        status,
        message,
        correlationId: String(res.locals.correlationId ?? randomUUID()),
        error,
        error_description: message,
      });

    const token = (req: Request, res: Response) => {
      const parsed = tokenForm.safeParse(req.body);
      if (!parsed.success)
        return fail(res, 'BAD_GRANT_TYPE', 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
      const form = parsed.data;
      if (form.client_id !== this.app.clientId) return fail(res, 'BAD_CLIENT_ID', 'invalid_client', 'missing or unknown client id');
      if (form.client_secret !== this.app.clientSecret) {
        return fail(res, 'BAD_CLIENT_SECRET', 'invalid_client', 'missing or invalid client secret');
      }
      if (form.grant_type === 'authorization_code') {
        const code = form.code ? this.codes.get(form.code) : undefined;
        if (!code || code.expiresAt <= this.clock()) {
          return fail(res, 'BAD_AUTH_CODE', 'invalid_grant', 'missing or unknown auth code');
        }
        if (form.redirect_uri !== code.redirectUri) {
          return fail(res, 'BAD_REDIRECT_URI', 'invalid_grant', 'redirect_uri does not match the one used to authorize');
        }
        this.codes.delete(code.code);
        const refresh = randomUUID();
        this.refreshTokens.set(refresh, { token: refresh, scopes: code.scopes, userId: code.userId, userEmail: code.userEmail });
        return res.json(this.issue(code, refresh));
      }
      const refresh = form.refresh_token ? this.refreshTokens.get(form.refresh_token) : undefined;
      if (!refresh) {
        return fail(res, 'BAD_REFRESH_TOKEN', 'invalid_grant', 'refresh token is invalid, expired or revoked');
      }
      // HubSpot keeps the same refresh token across refreshes.
      return res.json(this.issue(refresh, refresh.token));
    };
    router.post('/oauth/v1/token', token);
    router.post('/oauth/v3/token', token);

    router.get('/oauth/v1/access-tokens/:token', (req, res) => {
      const t = this.tokens.get(String(req.params.token));
      const now = this.clock();
      if (t?.kind !== 'oauth' || (t.expiresAt ?? 0) <= now) {
        return res.status(404).json({
          status: 'error',
          message: 'Token not found',
          correlationId: String(res.locals.correlationId ?? randomUUID()),
          category: 'OBJECT_NOT_FOUND',
        });
      }
      return res.json({
        token: t.token,
        user: t.userEmail,
        hub_domain: `portal-${t.portalId}.sandbox.test`,
        scopes: t.scopes,
        hub_id: t.portalId,
        app_id: Number(t.appId),
        expires_in: Math.floor(((t.expiresAt ?? now) - now) / 1000),
        user_id: t.userId,
        token_type: 'access',
      });
    });

    router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
      const r = this.refreshTokens.get(String(req.params.token));
      if (!r) return fail(res, 'BAD_REFRESH_TOKEN', 'invalid_grant', 'refresh token is invalid, expired or revoked', 404);
      return res.json({
        token: r.token,
        user: r.userEmail,
        hub_domain: `portal-${this.portalId}.sandbox.test`,
        scopes: r.scopes,
        hub_id: this.portalId,
        client_id: this.app.clientId,
        user_id: r.userId,
        token_type: 'refresh',
      });
    });

    router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
      this.refreshTokens.delete(String(req.params.token));
      res.status(204).end();
    });

    // HubSpot's install screens (oauth-consent.ts): the install URL is checked against the app's settings, then the
    // admin chooses the account and clicks "Connect app"; the form posts back here and HubSpot redirects with the code.
    const consentApp = () => ({
      clientId: this.app.clientId,
      redirectUris: this.app.redirectUris,
      requiredScopes: this.app.requiredScopes,
      optionalScopes: this.app.optionalScopes,
    });
    router.get('/oauth/authorize', (req, res) => {
      const checked = checkAuthorizeRequest(consentApp(), req.query);
      if (!checked.ok) return res.status(400).type('html').send(connectionFailedPage(checked.message, checked.detail));
      return res.type('html').send(consentPage(checked.request, this.portalId));
    });
    router.post('/oauth/authorize', (req, res) => {
      const { portal_id: portal, ...query } = (req.body ?? {}) as Record<string, unknown>;
      const checked = checkAuthorizeRequest(consentApp(), query);
      if (!checked.ok) return res.status(400).type('html').send(connectionFailedPage(checked.message, checked.detail));
      if (Number(portal) !== this.portalId) {
        return res.status(400).type('html').send(connectionFailedPage('Choose an account you have access to.'));
      }
      const { redirectUri, grantedScopes, state } = checked.request;
      const code = this.authorize({ redirectUri, scopes: grantedScopes });
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      if (state) target.searchParams.set('state', state);
      return res.redirect(302, target.toString());
    });

    return router;
  }
}
