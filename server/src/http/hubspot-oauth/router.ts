import express, { type Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { authorizationUrl, type HubSpotOAuthConfig } from '../../connectors/hubspot/oauth.ts';
import { BadInputError, UnauthorizedError } from '../../errors/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Database } from '../../store/schema.ts';
import type { Tenant } from '../../tenants/tenant-repository.ts';
import { installHubSpotPortal } from '../../use-cases/install-hubspot-portal.ts';
import { asyncRoute } from '../async-route.ts';
import { createOAuthState, verifyOAuthState } from './oauth-state.ts';

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
 * Mounted at /oauth/hubspot. GET /install sends the admin to HubSpot's consent screen; GET /callback checks
 * the query and `state`, then hands the code to the install use case (use-cases/install-hubspot-portal.ts).
 */
export function hubSpotOAuthRouter(options: OAuthRouterOptions): Router {
  const router = express.Router();
  const now = options.now ?? Date.now;

  router.get(
    '/install',
    asyncRoute(() => ({ redirect: authorizationUrl(options.oauth, createOAuthState(options.oauth.clientSecret, now())) })),
  );

  router.get(
    '/callback',
    asyncRoute(async (req) => {
      const query = callbackQuery.parse(req.query);
      if ('error' in query) throw new BadInputError(`HubSpot did not authorize the install: ${query.error}`);
      if (!verifyOAuthState(options.oauth.clientSecret, query.state, now())) {
        throw new UnauthorizedError('The install link has expired or did not come from Closewise; start the install again.');
      }
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
