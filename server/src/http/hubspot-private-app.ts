import { hubSpotApiLimits } from '../connectors/hubspot/api-limits.ts';
import type { JobEngine } from '../jobs/engine.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { resolveEncryptionKey } from '../security/encryption-key.ts';
import { installPrivateAppPortal } from '../use-cases/install-hubspot-private-app.ts';

/**
 * Private-app mode of `closewise serve` (HUBSPOT_ACCESS_TOKEN): installs the token's portal at start and queues
 * its jobs — a new portal gets the OAuth install's chain (sync, then training, then scoring), a known one a
 * sync; the schedules take it from there. Returns the lines serve prints about it (what runs, what does not).
 */
export async function startHubSpotPrivateApp(runtime: Runtime, jobs: JobEngine | null, hubSpotMounted: boolean): Promise<string[]> {
  const { config, logger } = runtime;
  const token = config.HUBSPOT_ACCESS_TOKEN;
  if (!token) return [];
  const tier = config.HUBSPOT_TIER;
  const installed = await installPrivateAppPortal(
    {
      db: runtime.store.db,
      encryptionKey: resolveEncryptionKey(config),
      logger,
      basePath: config.HUBSPOT_BASE_PATH,
      onInstalled: async ({ tenant, created }) => {
        await jobs?.enqueue('sync', { tenantId: tenant.id, ...(created ? { followUps: ['retrain', 'rescore'] as const } : {}) });
      },
    },
    token,
    tier,
  );
  const limits = hubSpotApiLimits('private_app', tier);
  const lines = [
    `HubSpot private app: portal ${installed.portalId} (${installed.created ? 'installed' : 'already installed'}; tier ${tier}: ${limits.tenSecondly} requests / 10 s, ${limits.daily?.toLocaleString('en-US')} a day)`,
  ];
  if (!hubSpotMounted) {
    lines.push(
      "HUBSPOT_CLIENT_SECRET is not set: HubSpot cards sign their requests with the app's client secret, so they cannot be verified — the card API and webhooks are NOT mounted. Set HUBSPOT_CLIENT_SECRET to the app's client secret to serve the cards.",
    );
  } else if (!config.HUBSPOT_APP_ID) {
    lines.push(
      'HUBSPOT_APP_ID is not set: webhooks are not mounted (Closewise needs the app id to drop its own writes); cards are served.',
    );
  }
  return lines;
}
