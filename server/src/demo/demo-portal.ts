// The demo's stand-ins for a customer's CRM: the local sandboxes (@closewise/sandboxes, a declared dependency of
// the server), seeded with the synthetic portal whose outcomes were drawn from known probabilities. The demo is
// the only production code that imports the sandboxes.

import { startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { loadMaven } from '@closewise/sandboxes/hubspot/datasets/maven';
import { startSalesforceDemoOrg } from '@closewise/sandboxes/salesforce/demo-org';
import { ADMIN_FIRST_PROPOSAL_STAGES } from '@closewise/sandboxes/seed/pipeline';
import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import type { Kysely } from 'kysely';
import type { CrmConnector } from '../connectors/connector.ts';
import { type ConnectorRegistry, createConnectorRegistry, installSalesforceOrg } from '../connectors/registry.ts';
import type { Database } from '../store/schema.ts';
import { updateTenantSettingsSection } from '../store/tables/settings.ts';
import { deleteTenant, type Tenant, upsertTenant } from '../tenants/tenant-repository.ts';
import { withSeedErrorsAsBadInput } from './seed-errors.ts';
import type { DemoLabels } from './summary.ts';

export interface DemoPortal {
  /** How the summary names this CRM's records, fields and install. */
  labels: DemoLabels;
  /**
   * Whether contact models can be held against the planted contact probabilities: true when the CRM labels
   * contacts by the planted outcome ("customer within 90 days"), false when by another (Salesforce: lead conversion).
   */
  contactOracleComparable: boolean;
  /** e.g. "HubSpot sandbox portal 24000042" */
  label: string;
  url: string;
  portalId: string;
  accessToken: string;
  data: PortalData;
  /** Planted probabilities keyed by the CRM's record ids. */
  truth: PortalData['truth'];
  /** The CRM's id of a seed record (`data` keeps the seed's ids). */
  crmId(type: 'deals' | 'contacts', seedId: string): string | undefined;
  /**
   * Installs Closewise into the portal (a fresh tenant each run, so one seed gives one result) and returns
   * the registry the use cases build the tenant's connector from, set up for this sandbox.
   */
  connect(
    db: Kysely<Database>,
    key: Buffer,
  ): Promise<{ tenant: Tenant; connectors: ConnectorRegistry; installed: { created: number; unchanged: number } }>;
  stop(): Promise<void>;
}

/** Runs the install step once and lets the connector finish what it still has in flight (a token save). */
async function installWith(connector: CrmConnector) {
  try {
    return await connector.install();
  } finally {
    await connector.close?.();
  }
}

function rekey(truth: PortalData['truth'], idOf: (type: 'deals' | 'contacts', seedId: string) => string | undefined): PortalData['truth'] {
  const by = (map: Record<string, number>, type: 'deals' | 'contacts') =>
    Object.fromEntries(Object.entries(map).map(([seedId, p]) => [idOf(type, seedId) ?? seedId, p]));
  return truth && { dealWin: by(truth.dealWin, 'deals'), contactConversion: by(truth.contactConversion, 'contacts') };
}

/**
 * Which portal the HubSpot demo loads: the synthetic one (planted probabilities, an oracle to compare with),
 * or Maven's public "CRM Sales Opportunities" sample, real-shaped data whose outcomes its fields barely explain.
 */
export type DemoPortalKind = 'synthetic' | 'maven';
export const DEMO_PORTAL_KINDS: readonly DemoPortalKind[] = ['synthetic', 'maven'];

export async function startHubSpotDemoPortal(seed: number, kind: DemoPortalKind = 'synthetic'): Promise<DemoPortal> {
  const data = kind === 'maven' ? loadMaven() : await withSeedErrorsAsBadInput(() => generateSyntheticPortal({ seed }));
  // A fixed portal id per seed keeps the demo's tenant (and so its summary) the same run after run.
  const sandbox = await startHubSpotSandbox({ port: 0, portalId: kind === 'maven' ? 24_900_000 : 24_000_000 + seed });
  const loaded = sandbox.loadPortal(data);
  const portalId = String(sandbox.portalId);
  return {
    labels: {
      crm: 'HubSpot',
      people: 'contacts',
      links: 'associations',
      dealField: 'closewise_win_probability',
      contactField: 'closewise_likelihood_to_close',
      packageInstall: null,
    },
    contactOracleComparable: true,
    label: `HubSpot sandbox portal ${portalId}`,
    url: sandbox.url,
    portalId,
    accessToken: sandbox.privateAppToken,
    data,
    truth: rekey(data.truth, (type, id) => loaded.ids[type].get(id)),
    crmId: (type, id) => loaded.ids[type].get(id),
    async connect(db, key) {
      await deleteTenant(db, 'hubspot', portalId);
      const tenant = await upsertTenant(db, key, {
        crm: 'hubspot',
        externalId: portalId,
        name: data.name,
        authMode: 'private_app',
        tokens: { accessToken: sandbox.privateAppToken },
      });
      // The synthetic portal's admin chooses its first-proposal stage on the settings page; Maven's pipeline
      // (Prospecting, Engaging) has none, so there the after-proposal model waits, as it would for its admin.
      if (kind === 'synthetic')
        await updateTenantSettingsSection(db, tenant.id, 'scoring', { proposalStages: ADMIN_FIRST_PROPOSAL_STAGES });
      // The private-app token is stored with the tenant: the registry builds its connector like any installed portal's.
      const connectors = createConnectorRegistry({ db, encryptionKey: key, hubspot: { basePath: sandbox.url } });
      const report = await installWith(await connectors.forTenant(tenant));
      return { tenant, connectors, installed: { created: report.created.length, unchanged: report.unchanged.length } };
    },
    stop: () => sandbox.stop(),
  };
}

export async function startSalesforceDemoPortal(seed: number): Promise<DemoPortal> {
  const org = await withSeedErrorsAsBadInput(() => startSalesforceDemoOrg(seed));
  const settings = { oauth: org.oauth, apiVersion: org.sandbox.apiVersion };
  return {
    labels: {
      crm: 'Salesforce',
      people: 'contacts and leads',
      links: 'contact roles',
      dealField: 'Closewise_Win_Probability__c',
      contactField: 'Closewise_Likelihood_To_Close__c',
      packageInstall: 'OAuth connected; the Closewise fields of the Salesforce DX package are present and writable',
    },
    contactOracleComparable: false,
    label: `Salesforce sandbox org at ${org.sandbox.url}`,
    url: org.sandbox.url,
    portalId: 'pending',
    accessToken: '',
    data: org.data,
    truth: org.truth,
    crmId: (_type, id) => org.idMap.get(id),
    async connect(db, key) {
      const { tenant, connector } = await installSalesforceOrg(db, key, settings, {
        code: await org.authorizationCode(),
        name: org.data.name,
      });
      await installWith(connector);
      return {
        tenant,
        connectors: createConnectorRegistry({ db, encryptionKey: key, salesforce: settings }),
        installed: { created: 0, unchanged: 0 },
      };
    },
    stop: () => org.stop(),
  };
}
