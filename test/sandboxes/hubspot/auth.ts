import type { NextFunction, Request, Response } from 'express';
import type { Caller } from './context.ts';
import { HubSpotApiError } from './errors.ts';
import type { Clock } from './portal.ts';

export interface AccessToken {
  token: string;
  portalId: number;
  appId: string;
  kind: 'private_app' | 'oauth';
  /** epoch ms; undefined for private-app tokens, which do not expire. */
  expiresAt?: number;
  scopes: string[];
  userId?: number;
  userEmail?: string;
}

/** Every bearer token the sandbox accepts (private-app token and issued OAuth access tokens). */
export class TokenRegistry {
  private readonly tokens = new Map<string, AccessToken>();

  add(token: AccessToken): void {
    this.tokens.set(token.token, token);
  }

  get(token: string): AccessToken | undefined {
    return this.tokens.get(token);
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }
}

const NOT_FOUND_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/** Bearer auth: 401 INVALID_AUTHENTICATION for missing/unknown tokens, EXPIRED_AUTHENTICATION for expired ones. */
export function bearerAuth(registry: TokenRegistry, clock: Clock) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match?.[1] ? registry.get(match[1]) : undefined;
    if (!token) {
      res.set('x-hubspot-auth-failure', '401 Unauthorized');
      throw new HubSpotApiError(401, 'INVALID_AUTHENTICATION', NOT_FOUND_MESSAGE);
    }
    const now = clock();
    if (token.expiresAt !== undefined && token.expiresAt <= now) {
      const minutes = Math.max(1, Math.floor((now - token.expiresAt) / 60_000));
      res.set('x-hubspot-auth-failure', '401 Unauthorized');
      throw new HubSpotApiError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${minutes} minute(s) ago.`);
    }
    const caller: Caller = {
      portalId: token.portalId,
      appId: token.appId,
      source: { sourceType: 'INTEGRATION', sourceId: token.appId },
      tokenKind: token.kind,
      ...(token.kind === 'oauth' ? { scopes: token.scopes } : {}),
    };
    res.locals.caller = caller;
    next();
  };
}
