import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { createConnectorRegistry } from '@closewise/server/connectors/registry';
import { selectScoredIds } from '@closewise/server/store/tables/scores';
import { type Tenant, upsertTenant } from '@closewise/server/tenants/tenant-repository';
import { openTestPostgres } from '@closewise/server/test-support/stores';
import { rescoreScope, syncTenant } from '@closewise/server/use-cases/index';

export const ENCRYPTION_KEY_HEX = '07'.repeat(32);

export interface PostgresTenant {
  store: Awaited<ReturnType<typeof openTestPostgres>>;
  sandbox: HubSpotSandbox;
  tenant: Tenant;
  data: PortalData;
  stop(): Promise<void>;
}

/** A sandbox portal installed as a private-app tenant on a throw-away PostgreSQL database; synced and scored when asked. */
export async function postgresHubSpotTenant(options: { contacts: number; seed: number; score: boolean }): Promise<PostgresTenant> {
  const store = await openTestPostgres();
  const sandbox = await startHubSpotSandbox();
  const stop = async () => {
    await sandbox.stop();
    await store.dispose();
  };
  try {
    const data = generateSyntheticPortal({ seed: options.seed, contacts: options.contacts });
    sandbox.loadPortal(data);
    const key = Buffer.from(ENCRYPTION_KEY_HEX, 'hex');
    const tenant = await upsertTenant(store.db, key, {
      crm: 'hubspot',
      externalId: String(sandbox.portalId),
      name: 'Functions portal',
      authMode: 'private_app',
      tokens: { accessToken: sandbox.privateAppToken },
    });
    const connectors = createConnectorRegistry({ db: store.db, encryptionKey: key, hubspot: { basePath: sandbox.url } });
    await (await connectors.forTenant(tenant)).install();
    if (options.score) {
      await syncTenant({ db: store.db, connectors }, tenant.id);
      await rescoreScope({ db: store.db, connectors }, tenant.id, { kind: 'tenant' }, { now: new Date(data.now), writeBack: 'later' });
    }
    return { store, sandbox, tenant, data, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export async function firstScoredDeal(t: PostgresTenant): Promise<string> {
  const [id] = await selectScoredIds(t.store.db, t.tenant.id, 'deal', 1);
  if (!id) throw new Error('no scored deal');
  return id;
}
