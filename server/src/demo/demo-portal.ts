// The demo's stand-ins for a customer's CRM: the local sandboxes (@closewise/sandboxes, a declared dependency of
// the server), seeded with the synthetic portal whose outcomes were drawn from known probabilities. The demo is
// the only production code that imports the sandboxes.

import { startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { startSalesforceDemoOrg } from '@closewise/sandboxes/salesforce/demo-org';
import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import type { Kysely } from 'kysely';
import type { CrmConnector } from '../connectors/connector.ts';
import { hubSpotPrivateAppConnector, installSalesforceOrg } from '../connectors/registry.ts';
import type { CrmKind, Database } from '../store/schema.ts';
import { deleteTenant, type Tenant, upsertTenant } from '../tenants/tenant-repository.ts';
import { withSeedErrorsAsBadInput } from './seed-errors.ts';

export interface DemoPortal {
  crm: CrmKind;
  /** e.g. "HubSpot sandbox portal 24000042" */
  label: string;
  url: string;
  portalId: string;
  accessToken: string;
  data: PortalData;
  /** Planted probabilities keyed by the CRM's record ids. */
  truth: PortalData['truth'];
  /** Installs Closewise into the portal (a fresh tenant each run, so one seed gives one result). */
  connect(
    db: Kysely<Database>,
    key: Buffer,
  ): Promise<{ tenant: Tenant; connector: CrmConnector; installed: { created: number; unchanged: number } }>;
  stop(): Promise<void>;
}

function rekey(truth: PortalData['truth'], idOf: (type: 'deals' | 'contacts', seedId: string) => string | undefined): PortalData['truth'] {
  const by = (map: Record<string, number>, type: 'deals' | 'contacts') =>
    Object.fromEntries(Object.entries(map).map(([seedId, p]) => [idOf(type, seedId) ?? seedId, p]));
  return truth && { dealWin: by(truth.dealWin, 'deals'), contactConversion: by(truth.contactConversion, 'contacts') };
}

export async function startHubSpotDemoPortal(seed: number): Promise<DemoPortal> {
  const data = await withSeedErrorsAsBadInput(() => generateSyntheticPortal({ seed }));
  // A fixed portal id per seed keeps the demo's tenant (and so its summary) the same run after run.
  const sandbox = await startHubSpotSandbox({ port: 0, portalId: 24_000_000 + seed });
  const loaded = sandbox.loadPortal(data);
  const portalId = String(sandbox.portalId);
  return {
    crm: 'hubspot',
    label: `HubSpot sandbox portal ${portalId}`,
    url: sandbox.url,
    portalId,
    accessToken: sandbox.privateAppToken,
    data,
    truth: rekey(data.truth, (type, id) => loaded.ids[type].get(id)),
    async connect(db, key) {
      await deleteTenant(db, 'hubspot', portalId);
      const tenant = await upsertTenant(db, key, {
        crm: 'hubspot',
        externalId: portalId,
        name: data.name,
        authMode: 'private_app',
        tokens: { accessToken: sandbox.privateAppToken },
      });
      const connector = hubSpotPrivateAppConnector(db, {
        accessToken: sandbox.privateAppToken,
        basePath: sandbox.url,
        portalId,
        tenantId: tenant.id,
      });
      const report = await connector.install();
      return { tenant, connector, installed: { created: report.created.length, unchanged: report.unchanged.length } };
    },
    stop: () => sandbox.stop(),
  };
}

export async function startSalesforceDemoPortal(seed: number): Promise<DemoPortal> {
  const org = await withSeedErrorsAsBadInput(() => startSalesforceDemoOrg(seed));
  return {
    crm: 'salesforce',
    label: `Salesforce sandbox org at ${org.sandbox.url}`,
    url: org.sandbox.url,
    portalId: 'pending',
    accessToken: '',
    data: org.data,
    truth: org.truth,
    async connect(db, key) {
      const { tenant, connector } = await installSalesforceOrg(
        db,
        key,
        { oauth: org.oauth, apiVersion: org.sandbox.apiVersion },
        { code: await org.authorizationCode(), name: org.data.name },
      );
      await connector.install();
      return { tenant, connector, installed: { created: 0, unchanged: 0 } };
    },
    stop: () => org.stop(),
  };
}
