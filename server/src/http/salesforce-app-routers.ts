import type { Router } from 'express';
import { loadConfig } from '../config/config.ts';
import { createConnectorRegistry } from '../connectors/registry.ts';
import { salesforceSettingsFromConfig } from '../connectors/salesforce/settings-from-config.ts';
import type { JobEngine } from '../jobs/engine.ts';
import { createStorePortalLocks } from '../jobs/portal-locks.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { createSalesforceApiRouter } from './salesforce-api/index.ts';
import { salesforceOAuthRouter } from './salesforce-oauth/index.ts';

/** The connected app's settings, validated by the one config schema (SALESFORCE_* in config/config.ts). */
function readSalesforceEnv(env: NodeJS.ProcessEnv) {
  return loadConfig(env);
}

/**
 * The Salesforce app's HTTP surface: the API the Apex class calls (API key per tenant) and the OAuth install
 * (/oauth/salesforce/install and /callback; needs SALESFORCE_REDIRECT_URL or PUBLIC_BASE_URL). Without the
 * connected app's client id and secret, stored org tokens could not be refreshed, so nothing is mounted.
 * `jobs` receives an install's first sync. Scheduled sync, retraining, rescoring and write-back
 * of Salesforce tenants run as jobs (jobs/real-handlers.ts); the card's "Rescore now" scores its one record
 * inside the request, because the rep waits for the new value.
 */
export function salesforceAppRouters(
  runtime: Runtime,
  encryptionKey: Buffer,
  jobs: JobEngine | null,
  env: NodeJS.ProcessEnv = process.env,
): { path: string; router: Router }[] {
  const sf = readSalesforceEnv(env);
  if (!sf.SALESFORCE_CLIENT_ID || !sf.SALESFORCE_CLIENT_SECRET) return [];
  const db = runtime.store.db;
  const oauth = {
    loginUrl: sf.SALESFORCE_LOGIN_URL,
    clientId: sf.SALESFORCE_CLIENT_ID,
    clientSecret: sf.SALESFORCE_CLIENT_SECRET,
    // Only the authorization step uses it; token refresh does not.
    redirectUri: sf.SALESFORCE_REDIRECT_URL ?? `${runtime.config.PUBLIC_BASE_URL ?? 'http://127.0.0.1'}/oauth/salesforce/callback`,
  };
  const router = createSalesforceApiRouter({
    db,
    connectors: createConnectorRegistry({ db, encryptionKey, salesforce: { oauth, apiVersion: sf.SALESFORCE_API_VERSION } }),
    locks: createStorePortalLocks(runtime.store, runtime.config.DATABASE_URL),
  });
  const routers = [{ path: '/', router }];
  const install = salesforceSettingsFromConfig({ ...sf, PUBLIC_BASE_URL: runtime.config.PUBLIC_BASE_URL ?? sf.PUBLIC_BASE_URL });
  if (install?.redirectUri) {
    routers.push({
      path: '/oauth/salesforce',
      router: salesforceOAuthRouter({
        db,
        logger: runtime.logger,
        encryptionKey,
        settings: { ...install.settings, oauth: { ...install.settings.oauth, redirectUri: install.redirectUri } },
        onInstalled: async (tenant) => {
          // The org's first sync, then training on what it read and scoring of every open record (as HubSpot's
          // install does), so a rep sees a score without waiting for the weekly retraining.
          await jobs?.enqueue('sync', { tenantId: tenant.id, followUps: ['retrain', 'rescore'] });
        },
      }),
    });
  } else {
    runtime.logger.warn('Salesforce install is not mounted: set SALESFORCE_REDIRECT_URL or PUBLIC_BASE_URL (its callback URL)');
  }
  return routers;
}
