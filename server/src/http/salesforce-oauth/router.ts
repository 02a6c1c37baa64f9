import express, { type ErrorRequestHandler, type Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { installSalesforceOrg, type SalesforceSettings } from '../../connectors/registry.ts';
import { authorizationUrl } from '../../connectors/salesforce/oauth-flow.ts';
import { pkceForNonce } from '../../connectors/salesforce/pkce.ts';
import { BadInputError, ConfigError } from '../../errors/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Database } from '../../store/schema.ts';
import { deleteExpiredOAuthNonces, spendOAuthNonce } from '../../store/tables/oauth-nonces.ts';
import type { Tenant } from '../../tenants/tenant-repository.ts';
import { errorToResponse } from '../error-handler.ts';
import { createOAuthStateGuard } from '../hubspot-oauth/oauth-state.ts';
import { installedPage, installFailedPage } from './pages.ts';

export interface SalesforceOAuthRouterOptions {
  db: Kysely<Database>;
  logger: Logger;
  encryptionKey: Buffer;
  /** The connected app; its `oauth.redirectUri` is this router's /callback as Salesforce calls it. */
  settings: SalesforceSettings;
  now?: () => number;
  /** Runs after the tenant is stored (the jobs layer queues the first sync here). */
  onInstalled?: (tenant: Tenant) => Promise<void> | void;
}

/** What Salesforce appends to the callback: a code and our state, or an error (the admin chose Deny, or the request was refused). */
const callbackQuery = z.union([
  z.object({
    error: z.string().min(1).max(200),
    error_description: z.string().max(2000).optional(),
    state: z.string().max(512).optional(),
  }),
  z.object({ code: z.string().min(1).max(2048), state: z.string().min(1).max(512) }),
]);

/**
 * Mounted at /oauth/salesforce. GET /install (or /authorize) sends the admin to the org's login host
 * (SALESFORCE_LOGIN_URL: login.salesforce.com, test.salesforce.com or a My Domain) with a state bound to
 * their browser by a cookie and a PKCE challenge (S256); GET /callback checks the state against that cookie
 * and spends it (oauth-state.ts, oauth_nonces under 'salesforce'), trades the code with the PKCE verifier
 * for tokens (installSalesforceOrg), queues the first sync and shows the next step. Every failure is a page
 * saying what happened and how to go on; refusals are 4xx.
 */
export function salesforceOAuthRouter(options: SalesforceOAuthRouterOptions): Router {
  const router = express.Router();
  const now = options.now ?? Date.now;
  const { oauth } = options.settings;

  const states = createOAuthStateGuard({
    provider: 'salesforce',
    secret: oauth.clientSecret,
    callbackUrl: oauth.redirectUri,
    now,
    spendNonce: async (nonce, keepUntil) => {
      const spent = await spendOAuthNonce(options.db, 'salesforce', nonce, keepUntil);
      // Installs are rare: forgetting the expired ones on each is enough to keep the table small.
      if (spent) await deleteExpiredOAuthNonces(options.db);
      return spent;
    },
  });

  router.get(['/install', '/authorize'], (_req, res) => {
    const started = states.start();
    const { codeChallenge } = pkceForNonce(options.encryptionKey, started.nonce);
    res.append('Set-Cookie', started.setCookie);
    res.redirect(302, authorizationUrl(oauth, started.state, { codeChallenge }));
  });

  // Express 5 passes a rejected handler to the error handler below (these routes answer pages, not asyncRoute's JSON).
  router.get('/callback', async (req, res) => {
    const parsed = callbackQuery.safeParse(req.query);
    if (!parsed.success)
      throw new BadInputError(
        'This address is where Salesforce sends you back with a code and a state, and neither came; start the install again.',
      );
    const query = parsed.data;
    if ('error' in query) throw refusal(query.error, query.error_description);
    // Before the code is used: this browser started the install, and this state has not completed one yet.
    const { clearCookie, nonce } = await states.complete(query.state, req.headers.cookie);
    res.append('Set-Cookie', clearCookie);
    const { tenant, connector } = await installSalesforceOrg(options.db, options.encryptionKey, options.settings, {
      code: query.code,
      codeVerifier: pkceForNonce(options.encryptionKey, nonce).codeVerifier,
    });
    options.logger.info({ tenantId: tenant.id, orgId: tenant.externalId }, 'Salesforce org installed');

    // The fields come with the DX package, deployed by the admin: say so now rather than at the first write.
    let fieldsProblem: string | null = null;
    try {
      await connector.install();
    } catch (error) {
      fieldsProblem =
        error instanceof ConfigError ? error.message : 'Closewise could not check its fields in the org yet; the first sync reports it.';
    }
    let syncQueued = true;
    try {
      await options.onInstalled?.(tenant);
    } catch (error) {
      syncQueued = false;
      options.logger.error({ err: error, tenantId: tenant.id }, 'could not queue the first sync of a new Salesforce org');
    }
    res
      .status(200)
      .type('html')
      .send(installedPage({ orgId: tenant.externalId, syncQueued, fieldsProblem }));
  });

  // The same status mapping as every router (error-handler.ts), shown as a page the admin can act on.
  const pageErrors: ErrorRequestHandler = (error, req, res, _next) => {
    const { status, body } = errorToResponse(error, { details: false });
    if (status >= 500) options.logger.error({ err: error, path: req.path }, 'Salesforce install failed');
    res
      .status(status)
      .type('html')
      .send(installFailedPage(body.error.message, `${req.baseUrl}/install`));
  };
  router.use(pageErrors);
  return router;
}

/** Salesforce sent the admin back with an error instead of a code. */
function refusal(error: string, description: string | undefined): BadInputError {
  if (error === 'access_denied') {
    return new BadInputError(
      "Access was declined on Salesforce's consent page, so Closewise is not connected. To connect, start the install again and choose Allow.",
    );
  }
  return new BadInputError(
    `Salesforce did not authorize the install: ${error}${description ? ` (${description})` : ''}. Check the connected app's OAuth settings (callback URL, PKCE, scopes api and refresh_token) and start again.`,
  );
}
