import express, { type Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { authorizationUrl, type HubSpotOAuthConfig } from '../../connectors/hubspot/oauth.ts';
import { BadInputError } from '../../errors/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Database } from '../../store/schema.ts';
import { deleteExpiredOAuthNonces, spendOAuthNonce } from '../../store/tables/oauth-nonces.ts';
import type { Tenant } from '../../tenants/tenant-repository.ts';
import { installHubSpotPortal } from '../../use-cases/install-hubspot-portal.ts';
import { asyncRoute } from '../async-route.ts';
import { createOAuthStateGuard } from './oauth-state.ts';

export interface OAuthRouterOptions {
  db: Kysely<Database>;
  logger: Logger;
  encryptionKey: Buffer;
  oauth: HubSpotOAuthConfig;
  now?: () => number;
  /** Runs after the tenant is stored (the jobs layer schedules the first sync here). */
  onInstalled?: (tenant: Tenant) => Promise<void> | void;
}

/** What HubSpot appends to the redirect URL: a code and our state, or an error when the admin declined. */
const callbackQuery = z.union([
  z.object({ code: z.string().min(1).max(2048), state: z.string().min(1).max(512) }),
  z.object({ error: z.string().max(200), error_description: z.string().max(2000).optional(), state: z.string().max(512).optional() }),
]);

/**
 * Mounted at /oauth/hubspot. GET /install sends the admin to HubSpot's consent screen with a `state` bound to
 * their browser by a cookie; GET /callback checks the query, the state against that cookie and spends the state
 * (oauth-state.ts), then hands the code to the install use case (use-cases/install-hubspot-portal.ts). The
 * callback (HUBSPOT_REDIRECT_URL) must be on the host that served /install, or the browser withholds the cookie.
 */
export function hubSpotOAuthRouter(options: OAuthRouterOptions): Router {
  const router = express.Router();
  const now = options.now ?? Date.now;

  const states = createOAuthStateGuard({
    provider: 'hubspot',
    secret: options.oauth.clientSecret,
    callbackUrl: options.oauth.redirectUri,
    now,
    spendNonce: async (nonce, keepUntil) => {
      const spent = await spendOAuthNonce(options.db, 'hubspot', nonce, keepUntil);
      // Installs are rare: forgetting the expired ones on each is enough to keep the table small.
      if (spent) await deleteExpiredOAuthNonces(options.db);
      return spent;
    },
  });

  router.get(
    '/install',
    asyncRoute((_req, res) => {
      const started = states.start();
      res.append('Set-Cookie', started.setCookie);
      return { redirect: authorizationUrl(options.oauth, started.state) };
    }),
  );

  router.get(
    '/callback',
    asyncRoute(async (req, res) => {
      const query = callbackQuery.parse(req.query);
      if ('error' in query) throw new BadInputError(`HubSpot did not authorize the install: ${query.error}`);
      // Before the code is used: this browser started the install, and this state has not completed one yet.
      const { clearCookie } = await states.complete(query.state, req.headers.cookie);
      res.append('Set-Cookie', clearCookie);
      const installed = await installHubSpotPortal(
        {
          db: options.db,
          encryptionKey: options.encryptionKey,
          oauth: options.oauth,
          logger: options.logger,
          now,
          ...(options.onInstalled ? { onInstalled: options.onInstalled } : {}),
        },
        query.code,
      );
      return { status: 200, body: { installed: true, portalId: installed.portalId, propertiesCreated: installed.propertiesCreated } };
    }),
  );
  return router;
}
