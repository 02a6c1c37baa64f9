import type { Client } from '@hubspot/api-client';
import type { Kysely } from 'kysely';
import { ConfigError } from '../errors/errors.ts';
import type { Database } from '../store/schema.ts';
import { getTenant, type Tenant } from '../tenants/tenant-repository.ts';
import type { CrmConnector } from './connector.ts';
import { type HubSpotTier, hubSpotApiLimits, plannedPortalLimits } from './hubspot/api-limits.ts';
import type { HubSpotOAuthConfig } from './hubspot/oauth.ts';
import type { PortalMetadataCache } from './hubspot/portal-metadata.ts';
import type { PortalLimits } from './hubspot/rate-limiter.ts';
import { hubSpotConnectorForTenant } from './hubspot/tenant-connector.ts';
import { installSalesforceTenant } from './salesforce/install-tenant.ts';
import type { SalesforceOAuthConfig } from './salesforce/oauth-flow.ts';
import type { SalesforceConnectorOptions } from './salesforce/salesforce-connector.ts';
import { salesforceConnectorForTenant } from './salesforce/tenant-connector.ts';

/** The runtime's HubSpot settings (HUBSPOT_* in config/config.ts). */
export interface HubSpotSettings {
  /** https://api.hubapi.com in production; a sandbox's URL in tests and the demo. */
  basePath: string;
  /** The app's OAuth config: OAuth tenants' tokens are refreshed with it. */
  oauth?: HubSpotOAuthConfig;
  /** OAuth tenants' client-side limits (default: under HubSpot's marketplace-app limit). */
  limits?: PortalLimits;
  /** The private-app portal's subscription tier (HUBSPOT_TIER): it sets that tenant's limits. Default free, the strictest. */
  privateAppTier?: HubSpotTier;
  /**
   * Applied to each connector's SDK client: the jobs pass the shared per-portal rate budget here, so N worker
   * processes together stay under HubSpot's limit (the connector's own limiter is per process).
   */
  limitClient?: (client: Client, portal: { portalId: string; authMode: Tenant['authMode'] }, signal?: AbortSignal) => void;
  /** Pipelines and custom fields shared by every connector the registry builds (webhook refreshes build many). */
  metadataCache?: PortalMetadataCache;
  /** The clock a spent daily limit's reset is computed from (tests run it ahead). */
  now?: () => number;
}

/** The connected app (SALESFORCE_* in config/config.ts): jsforce refreshes an org's access token with it. */
export interface SalesforceSettings {
  oauth: SalesforceOAuthConfig;
  apiVersion?: string;
  /** Tuning for tests and the demo (bulk thresholds, budget reserve). */
  connector?: Partial<Omit<SalesforceConnectorOptions, 'oauth' | 'tokens' | 'cipher' | 'apiVersion' | 'onRevoked'>>;
}

export interface ConnectorRegistryOptions {
  db: Kysely<Database>;
  encryptionKey: Buffer;
  hubspot?: HubSpotSettings;
  salesforce?: SalesforceSettings;
}

export interface ConnectorRegistry {
  /** The connector of an installed tenant (by row or id), from its stored credentials. */
  forTenant(tenant: Tenant | string, options?: { signal?: AbortSignal }): Promise<CrmConnector>;
}

/**
 * The only place that looks at a tenant's CRM: everything above it (use cases, jobs, routers) holds a
 * CrmConnector and calls the interface.
 */
export function createConnectorRegistry(options: ConnectorRegistryOptions): ConnectorRegistry {
  const { db, encryptionKey } = options;
  return {
    async forTenant(tenantOrId, { signal } = {}) {
      const tenant = typeof tenantOrId === 'string' ? await getTenant(db, tenantOrId) : tenantOrId;
      const crm: string = tenant.crm;
      switch (crm) {
        case 'hubspot': {
          const hubspot = options.hubspot;
          if (!hubspot)
            throw new ConfigError(`HubSpot portal ${tenant.externalId} cannot be reached: no HubSpot settings (HUBSPOT_BASE_PATH)`);
          const connector = await hubSpotConnectorForTenant({
            db,
            encryptionKey,
            tenant,
            basePath: hubspot.basePath,
            ...(hubspot.oauth ? { oauth: hubspot.oauth } : {}),
            ...(tenant.authMode === 'private_app'
              ? { limits: plannedPortalLimits(hubSpotApiLimits('private_app', hubspot.privateAppTier ?? 'free')) }
              : hubspot.limits
                ? { limits: hubspot.limits }
                : {}),
            ...(hubspot.metadataCache ? { metadataCache: hubspot.metadataCache } : {}),
            ...(hubspot.now ? { now: hubspot.now } : {}),
          });
          hubspot.limitClient?.(connector.client, { portalId: tenant.externalId, authMode: tenant.authMode }, signal);
          return connector;
        }
        case 'salesforce': {
          // No shared rate budget: Salesforce limits the org per rolling 24 hours, and the connector's ApiBudget
          // stops on the org-wide counter every response carries (see salesforce/budget.ts for what that does and
          // does not cover across worker processes).
          const salesforce = options.salesforce;
          if (!salesforce) {
            throw new ConfigError(
              `Salesforce org ${tenant.externalId} cannot be reached: set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (the connected app refreshes the org's tokens)`,
            );
          }
          return salesforceConnectorForTenant({
            db,
            encryptionKey,
            tenant,
            oauth: salesforce.oauth,
            ...(salesforce.apiVersion ? { apiVersion: salesforce.apiVersion } : {}),
            ...(salesforce.connector ? { connector: salesforce.connector } : {}),
          });
        }
        default:
          throw new ConfigError(`tenant ${tenant.id} has crm '${crm}', which has no connector (known: hubspot, salesforce)`);
      }
    },
  };
}

/** Installs a HubSpot portal from the OAuth callback's code (properties, then the tenant row); see install-portal.ts. */
export { installHubSpotOAuthPortal, installHubSpotPrivateApp } from './hubspot/install-portal.ts';

/**
 * Installs a Salesforce org from the OAuth callback's code (tenant row with encrypted tokens; a re-install
 * keeps the tenant) and returns its connector, built from what was stored.
 */
export async function installSalesforceOrg(
  db: Kysely<Database>,
  encryptionKey: Buffer,
  settings: SalesforceSettings,
  install: { code: string; name?: string; codeVerifier?: string },
): Promise<{ tenant: Tenant; connector: CrmConnector }> {
  const tenant = await installSalesforceTenant(db, encryptionKey, {
    oauth: settings.oauth,
    code: install.code,
    ...(install.name ? { name: install.name } : {}),
    ...(install.codeVerifier ? { codeVerifier: install.codeVerifier } : {}),
    ...(settings.apiVersion ? { apiVersion: settings.apiVersion } : {}),
  });
  const connector = await createConnectorRegistry({ db, encryptionKey, salesforce: settings }).forTenant(tenant);
  return { tenant, connector };
}

/** Revokes an org's tokens at Salesforce and disconnects its tenant (`closewise salesforce disconnect`); see disconnect-org.ts. */
export { disconnectSalesforceOrg } from './salesforce/disconnect-org.ts';
