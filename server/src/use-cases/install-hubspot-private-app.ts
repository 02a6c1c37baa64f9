import type { Kysely } from 'kysely';
import type { HubSpotTier } from '../connectors/hubspot/api-limits.ts';
import type { InstalledPrivateApp } from '../connectors/hubspot/install-portal.ts';
import { installHubSpotPrivateApp } from '../connectors/registry.ts';
import type { Logger } from '../logging/logger.ts';
import type { Database } from '../store/schema.ts';

export interface InstallPrivateAppDeps {
  db: Kysely<Database>;
  encryptionKey: Buffer;
  logger: Logger;
  basePath: string;
  /** Runs once the tenant is stored (serve queues the jobs here). */
  onInstalled?: (installed: InstalledPrivateApp) => Promise<void> | void;
}

/** `closewise serve` with HUBSPOT_ACCESS_TOKEN: the connector layer installs the token's portal (idempotently); logged and announced. */
export async function installPrivateAppPortal(
  deps: InstallPrivateAppDeps,
  accessToken: string,
  tier: HubSpotTier,
): Promise<InstalledPrivateApp> {
  const installed = await installHubSpotPrivateApp(deps.db, deps.encryptionKey, { basePath: deps.basePath, accessToken, tier });
  deps.logger.info(
    { tenantId: installed.tenant.id, portalId: installed.portalId, tier, new: installed.created, created: installed.propertiesCreated },
    'HubSpot private app installed',
  );
  await deps.onInstalled?.(installed);
  return installed;
}
