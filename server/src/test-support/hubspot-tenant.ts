import { randomBytes } from 'node:crypto';
import { type HubSpotSandbox, type HubSpotSandboxOptions, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { ADMIN_FIRST_PROPOSAL_STAGES } from '@closewise/sandboxes/seed/pipeline';
import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { HubSpotConnector } from '../connectors/hubspot/hubspot-connector.ts';
import { updateTenantSettingsSection } from '../store/tables/settings.ts';
import { upsertTenant } from '../tenants/tenant-repository.ts';
import { openTestPglite, type TestStore } from './stores.ts';

export interface InstalledHubSpotTenant {
  sandbox: HubSpotSandbox;
  store: TestStore;
  tenantId: string;
  connector: HubSpotConnector;
  /** Seed ids → the ids the sandbox gave the records. */
  ids: { deals: Map<string, string>; contacts: Map<string, string>; companies: Map<string, string> };
  stop(): Promise<void>;
}

/**
 * A sandbox portal loaded with `portal`, a PGlite store, and Closewise installed in it as a private-app
 * tenant (properties provisioned, nothing synced yet): the start of most end-to-end HubSpot tests.
 */
export async function installHubSpotTenant(
  portal: PortalData,
  name = 'test portal',
  /** E.g. a clock, so edits made in the test land at a chosen moment of the portal's timeline. */
  sandboxOptions: HubSpotSandboxOptions = {},
): Promise<InstalledHubSpotTenant> {
  const sandbox = await startHubSpotSandbox(sandboxOptions);
  const store = await openTestPglite().catch(async (error: unknown) => {
    await sandbox.stop();
    throw error;
  });
  const stop = async () => {
    await sandbox.stop();
    await store.dispose();
  };
  try {
    const { ids } = sandbox.loadPortal(portal);
    const tenant = await upsertTenant(store.db, randomBytes(32), {
      crm: 'hubspot',
      externalId: String(sandbox.portalId),
      name,
      authMode: 'private_app',
      tokens: { accessToken: sandbox.privateAppToken },
    });
    // The first-proposal stage the synthetic portal's admin chooses; without it the after-proposal model waits.
    await updateTenantSettingsSection(store.db, tenant.id, 'scoring', { proposalStages: ADMIN_FIRST_PROPOSAL_STAGES });
    const connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: String(sandbox.portalId),
      store: { db: store.db, tenantId: tenant.id },
    });
    await connector.install();
    return { sandbox, store, tenantId: tenant.id, connector, ids, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
