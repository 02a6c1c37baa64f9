import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { type Tenant, upsertTenant } from '../../tenants/tenant-repository.ts';
import { createHubSpotConnector } from './hubspot-connector.ts';
import { exchangeAuthorizationCode, type HubSpotOAuthConfig } from './oauth.ts';
import { staticTokenProvider } from './token-provider.ts';

/**
 * A portal's admin approved the app: trades the OAuth code for tokens, provisions Closewise's properties with
 * them, then stores the tenant with its tokens encrypted. A conflicting property or a refused scope (typed
 * errors from the connector) stops the install before anything is stored.
 */
export async function installHubSpotOAuthPortal(
  db: Kysely<Database>,
  encryptionKey: Buffer,
  oauth: HubSpotOAuthConfig,
  code: string,
  now: () => number = Date.now,
): Promise<{ tenant: Tenant; portalId: string; propertiesCreated: number }> {
  const tokens = await exchangeAuthorizationCode(oauth, code, now);
  // No tenant exists yet: the connector works from the fresh token alone.
  const connector = createHubSpotConnector({
    basePath: oauth.apiBasePath,
    portalId: tokens.portalId,
    tokens: staticTokenProvider(tokens.accessToken),
  });
  const report = await connector.install();
  const tenant = await upsertTenant(db, encryptionKey, {
    crm: 'hubspot',
    externalId: tokens.portalId,
    name: `HubSpot portal ${tokens.portalId}`,
    authMode: 'oauth',
    tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt.toISOString() },
  });
  return { tenant, portalId: tokens.portalId, propertiesCreated: report.created.length };
}
