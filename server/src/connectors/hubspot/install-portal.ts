import type { Kysely } from 'kysely';
import type { PortalSettings } from '../../store/columns/tenant-settings.ts';
import type { Database } from '../../store/schema.ts';
import { updateTenantSettingsSection } from '../../store/tables/settings.ts';
import { findTenant, type Tenant, upsertTenant } from '../../tenants/tenant-repository.ts';
import { type HubSpotTier, hubSpotApiLimits, plannedPortalLimits } from './api-limits.ts';
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

export interface PrivateAppInstall {
  basePath: string;
  accessToken: string;
  tier: HubSpotTier;
}

export interface InstalledPrivateApp {
  tenant: Tenant;
  portalId: string;
  timeZone: string;
  /** False when serve started before with this portal: nothing new was stored but the token and settings. */
  created: boolean;
  propertiesCreated: number;
}

/**
 * A private (static-auth) app's install, run by `closewise serve` at every start: the token names its account
 * (GET /account-info/v3/details), Closewise's properties are provisioned as the OAuth install does (only the
 * missing ones), and the tenant row is upserted with the token encrypted — a restart changes nothing twice.
 */
export async function installHubSpotPrivateApp(
  db: Kysely<Database>,
  encryptionKey: Buffer,
  install: PrivateAppInstall,
): Promise<InstalledPrivateApp> {
  const limits = plannedPortalLimits(hubSpotApiLimits('private_app', install.tier));
  const account = await createHubSpotConnector({
    basePath: install.basePath,
    portalId: 'private-app',
    accessToken: install.accessToken,
    limits,
  }).accountDetails();
  const portalId = String(account.portalId);
  const connector = createHubSpotConnector({ basePath: install.basePath, portalId, accessToken: install.accessToken, limits });
  const report = await connector.install();
  const existed = await findTenant(db, 'hubspot', portalId);
  const tenant = await upsertTenant(db, encryptionKey, {
    crm: 'hubspot',
    externalId: portalId,
    name: existed?.name ?? `HubSpot portal ${portalId}`,
    authMode: 'private_app',
    tokens: { accessToken: install.accessToken },
  });
  const portal: PortalSettings = { timeZone: account.timeZone, tier: install.tier };
  await updateTenantSettingsSection(db, tenant.id, 'portal', portal);
  return { tenant, portalId, timeZone: account.timeZone, created: !existed, propertiesCreated: report.created.length };
}
