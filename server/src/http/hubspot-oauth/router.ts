import express, { type Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { hubSpotErrorMessage, hubSpotErrorStatus } from '../../connectors/hubspot/hubspot-client.ts';
import { authorizationUrl, exchangeAuthorizationCode, type HubSpotOAuthConfig } from '../../connectors/hubspot/oauth.ts';
import { hubSpotInstallConnector } from '../../connectors/registry.ts';
import { BadInputError, ClosewiseError, UnauthorizedError } from '../../errors/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Database } from '../../store/schema.ts';
import { type Tenant, upsertTenant } from '../../tenants/tenant-repository.ts';
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
 * `state`, trades the code for tokens, provisions Closewise's properties with them (a conflicting property
 * stops the install before anything is stored) and stores the tenant with its tokens encrypted.
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
      const tokens = await exchangeAuthorizationCode(options.oauth, query.code, now);
      const connector = hubSpotInstallConnector({
        basePath: options.oauth.apiBasePath,
        portalId: tokens.portalId,
        accessToken: tokens.accessToken,
      });
      const report = await connector.install().catch((error: unknown) => {
        // The admin approved fewer scopes than the app asks for (or the app's scope list is out of date).
        if (hubSpotErrorStatus(error) === 403) {
          throw new ClosewiseError('FORBIDDEN', `HubSpot refused to let Closewise create its properties: ${hubSpotErrorMessage(error)}`);
        }
        throw error;
      });
      const tenant = await upsertTenant(options.db, options.encryptionKey, {
        crm: 'hubspot',
        externalId: tokens.portalId,
        name: `HubSpot portal ${tokens.portalId}`,
        authMode: 'oauth',
        tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt.toISOString() },
      });
      options.logger.info({ tenantId: tenant.id, portalId: tokens.portalId, created: report.created.length }, 'HubSpot portal installed');
      await options.onInstalled?.(tenant);
      return { status: 200, body: { installed: true, portalId: tokens.portalId, propertiesCreated: report.created.length } };
    }),
  );
  return router;
}
