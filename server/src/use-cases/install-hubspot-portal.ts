import type { Kysely } from 'kysely';
import type { HubSpotOAuthConfig } from '../connectors/hubspot/oauth.ts';
import { installHubSpotOAuthPortal } from '../connectors/registry.ts';
import type { Logger } from '../logging/logger.ts';
import type { Database } from '../store/schema.ts';
import type { Tenant } from '../tenants/tenant-repository.ts';

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

/** A portal's admin approved the app: the connector layer installs and stores it; the install is logged and announced. */
export async function installHubSpotPortal(deps: InstallHubSpotPortalDeps, code: string): Promise<InstalledHubSpotPortal> {
  const installed = await installHubSpotOAuthPortal(deps.db, deps.encryptionKey, deps.oauth, code, deps.now ?? Date.now);
  deps.logger.info(
    { tenantId: installed.tenant.id, portalId: installed.portalId, created: installed.propertiesCreated },
    'HubSpot portal installed',
  );
  await deps.onInstalled?.(installed.tenant);
  return installed;
}
