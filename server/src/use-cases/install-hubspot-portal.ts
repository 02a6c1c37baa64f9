import type { Kysely } from 'kysely';
import { exchangeAuthorizationCode, type HubSpotOAuthConfig } from '../connectors/hubspot/oauth.ts';
import { hubSpotInstallConnector } from '../connectors/registry.ts';
import type { Logger } from '../logging/logger.ts';
import type { Database } from '../store/schema.ts';
import { type Tenant, upsertTenant } from '../tenants/tenant-repository.ts';

export interface InstallHubSpotPortalDeps {
  db: Kysely<Database>;
  encryptionKey: Buffer;
  oauth: HubSpotOAuthConfig;
  logger: Logger;
  now?: () => number;
  /** Runs after the tenant is stored (the jobs layer schedules the first sync here). */
  onInstalled?: (tenant: Tenant) => Promise<void> | void;
}

export interface InstalledHubSpotPortal {
  tenant: Tenant;
  portalId: string;
  propertiesCreated: number;
}

/**
 * A portal's admin approved the app: trades the OAuth code for tokens, provisions Closewise's properties with
 * them, then stores the tenant with its tokens encrypted. A conflicting property or a refused scope (typed
 * errors from the connector) stops the install before anything is stored.
 */
export async function installHubSpotPortal(deps: InstallHubSpotPortalDeps, code: string): Promise<InstalledHubSpotPortal> {
  const tokens = await exchangeAuthorizationCode(deps.oauth, code, deps.now ?? Date.now);
  const connector = hubSpotInstallConnector({
    basePath: deps.oauth.apiBasePath,
    portalId: tokens.portalId,
    accessToken: tokens.accessToken,
  });
  const report = await connector.install();
  const tenant = await upsertTenant(deps.db, deps.encryptionKey, {
    crm: 'hubspot',
    externalId: tokens.portalId,
    name: `HubSpot portal ${tokens.portalId}`,
    authMode: 'oauth',
    tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt.toISOString() },
  });
  deps.logger.info({ tenantId: tenant.id, portalId: tokens.portalId, created: report.created.length }, 'HubSpot portal installed');
  await deps.onInstalled?.(tenant);
  return { tenant, portalId: tokens.portalId, propertiesCreated: report.created.length };
}
