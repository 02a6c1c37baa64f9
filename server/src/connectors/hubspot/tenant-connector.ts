import type { Kysely } from 'kysely';
import { portalSettingsSchema } from '../../store/columns/tenant-settings.ts';
import type { Database } from '../../store/schema.ts';
import { readTenantTokens, type Tenant } from '../../tenants/tenant-repository.ts';
import { HubSpotAppUninstalledError } from './errors.ts';
import { createHubSpotConnector, type HubSpotConnector, type HubSpotConnectorOptions } from './hubspot-connector.ts';
import type { HubSpotOAuthConfig } from './oauth.ts';
import { storedOAuthTokenProvider } from './token-provider.ts';

export interface TenantConnectorOptions {
  db: Kysely<Database>;
  encryptionKey: Buffer;
  tenant: Tenant;
  basePath: string;
  /** Needed for OAuth tenants (to refresh their tokens). */
  oauth?: HubSpotOAuthConfig;
  limits?: HubSpotConnectorOptions['limits'];
  metadataCache?: HubSpotConnectorOptions['metadataCache'];
  now?: () => number;
}

/** The account's time zone, stored at install (tenants.settings.portal.timeZone): a daily limit resumes at its midnight. */
function portalTimeZone(tenant: Tenant): string | undefined {
  return portalSettingsSchema.parse(tenant.settings['portal'] ?? {}).timeZone;
}

/** The connector for an installed tenant, with its tokens and write log in the store (built by connectors/registry.ts). */
export async function hubSpotConnectorForTenant(options: TenantConnectorOptions): Promise<HubSpotConnector> {
  const { db, tenant } = options;
  if (tenant.status === 'disabled') throw new HubSpotAppUninstalledError(tenant.externalId);
  const common = {
    basePath: options.basePath,
    portalId: tenant.externalId,
    store: { db, tenantId: tenant.id },
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.metadataCache ? { metadataCache: options.metadataCache } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(portalTimeZone(tenant) ? { timeZone: portalTimeZone(tenant) as string } : {}),
  };
  if (tenant.authMode === 'private_app') {
    const tokens = await readTenantTokens(db, options.encryptionKey, tenant.id);
    return createHubSpotConnector({ ...common, accessToken: tokens.accessToken });
  }
  if (!options.oauth) throw new TypeError('hubSpotConnectorForTenant needs the OAuth config for an OAuth tenant');
  return createHubSpotConnector({
    ...common,
    tokens: storedOAuthTokenProvider({
      db,
      encryptionKey: options.encryptionKey,
      tenantId: tenant.id,
      portalId: tenant.externalId,
      oauth: options.oauth,
    }),
  });
}
