import { randomBytes } from 'node:crypto';
import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { type SalesforceDemoOrg, startSalesforceDemoOrg } from '@closewise/sandboxes/salesforce/demo-org';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { createConnectorRegistry, installSalesforceOrg, type SalesforceSettings } from '@closewise/server/connectors/registry';
import { issueSalesforceApiKey } from '@closewise/server/http/salesforce-api/api-keys';
import type { ObjectType } from '@closewise/server/store/schema';
import { selectScoredIds } from '@closewise/server/store/tables/scores';
import { upsertTenant } from '@closewise/server/tenants/tenant-repository';
import { openTestPostgres } from '@closewise/server/test-support/stores';
import { rescoreScope, syncTenant, trainTenant } from '@closewise/server/use-cases/index';
import type { Target } from './hostile-requests.ts';
import { closedPort, type ServeProcess, startServe } from './serve-process.ts';

/** A backend whose CRMs answer: the hostile stream's targets are records that exist in the CRM and the store. */
export interface LiveBackend extends Omit<Target, 'origin'> {
  serve: ServeProcess;
  hubspot: HubSpotSandbox;
  salesforce: SalesforceDemoOrg;
  stop(): Promise<void>;
}

const SEED = 18;
const CONTACTS = 40;

/**
 * `closewise serve` (own process, PostgreSQL, every router mounted) with both CRMs live: a HubSpot sandbox
 * portal installed as a private-app tenant and a Salesforce sandbox org installed through the real OAuth
 * web-server flow (tokens encrypted in the tenant row), each synced, trained and scored, so card reads,
 * rescores, tasks, snoozes and webhooks reach the CRM and succeed.
 */
export async function startLiveBackend(): Promise<LiveBackend> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const store = await openTestPostgres();
    cleanups.push(() => store.dispose());
    const hubspot = await startHubSpotSandbox();
    cleanups.push(() => hubspot.stop());
    const salesforce = await startSalesforceDemoOrg(SEED, { contacts: CONTACTS });
    cleanups.push(() => salesforce.stop());

    const encryptionKey = randomBytes(32);
    const clientSecret = `fuzz-live-secret-${randomBytes(8).toString('hex')}`;
    const salesforceSettings: SalesforceSettings = { oauth: salesforce.oauth, apiVersion: salesforce.sandbox.apiVersion };
    const connectors = createConnectorRegistry({
      db: store.db,
      encryptionKey,
      hubspot: { basePath: hubspot.url },
      salesforce: salesforceSettings,
    });
    const deps = { db: store.db, connectors };

    const portal = generateSyntheticPortal({ seed: SEED, contacts: CONTACTS });
    const { ids } = hubspot.loadPortal(portal);
    const hubspotTenant = await upsertTenant(store.db, encryptionKey, {
      crm: 'hubspot',
      externalId: String(hubspot.portalId),
      name: 'fuzz live portal',
      authMode: 'private_app',
      tokens: { accessToken: hubspot.privateAppToken },
    });
    await (await connectors.forTenant(hubspotTenant)).install();
    const { tenant: salesforceTenant } = await installSalesforceOrg(store.db, encryptionKey, salesforceSettings, {
      code: await salesforce.authorizationCode(),
      name: salesforce.data.name,
    });
    for (const [tenant, now] of [
      [hubspotTenant, new Date(portal.now)],
      [salesforceTenant, new Date(salesforce.data.now)],
    ] as const) {
      await syncTenant(deps, tenant.id);
      await trainTenant(deps, tenant.id, { now, seed: SEED });
      await rescoreScope(deps, tenant.id, { kind: 'tenant' }, { now, writeBack: 'later' });
    }
    const scored = async (tenantId: string, objectType: ObjectType, prefix = '') => {
      const id = (await selectScoredIds(store.db, tenantId, objectType, 500)).find((candidate) => candidate.startsWith(prefix));
      if (!id) throw new Error(`no scored ${objectType}${prefix ? ` starting ${prefix}` : ''} in tenant ${tenantId}`);
      return id;
    };
    const company = [...ids.companies.values()][0];
    if (!company) throw new Error('the synthetic portal has no companies');
    const records = {
      deals: await scored(hubspotTenant.id, 'deal'),
      contacts: await scored(hubspotTenant.id, 'contact'),
      companies: company,
    };
    const salesforceIds = {
      Opportunity: await scored(salesforceTenant.id, 'deal'),
      // Synced contacts are Leads (00Q) or Contacts (003); the stream addresses Leads.
      Lead: await scored(salesforceTenant.id, 'contact', '00Q'),
      Account: await scored(salesforceTenant.id, 'company').catch(() => {
        const account = [...salesforce.idMap.values()].find((id) => id.startsWith('001'));
        if (!account) throw new Error('the demo org has no accounts');
        return account;
      }),
    };
    const salesforceApiKey = await issueSalesforceApiKey(store.db, salesforceTenant.id);

    const port = await closedPort();
    const origin = `http://127.0.0.1:${port}`;
    const serve = await startServe(port, {
      DATABASE_URL: store.databaseUrl,
      CLOSEWISE_JOBS: 'off',
      CLOSEWISE_ENCRYPTION_KEY: encryptionKey.toString('hex'),
      PUBLIC_BASE_URL: origin,
      HUBSPOT_CLIENT_SECRET: clientSecret,
      HUBSPOT_CLIENT_ID: 'fuzz-client-id',
      HUBSPOT_APP_ID: '777',
      HUBSPOT_REDIRECT_URL: `${origin}/oauth/hubspot/callback`,
      HUBSPOT_BASE_PATH: hubspot.url,
      SALESFORCE_CLIENT_ID: salesforce.oauth.clientId,
      SALESFORCE_CLIENT_SECRET: salesforce.oauth.clientSecret,
      SALESFORCE_LOGIN_URL: salesforce.oauth.loginUrl,
      SALESFORCE_API_VERSION: salesforce.sandbox.apiVersion,
    });
    cleanups.push(() => serve.stop());
    return {
      serve,
      hubspot,
      salesforce,
      clientSecret,
      portalId: String(hubspot.portalId),
      records,
      salesforceApiKey,
      salesforceIds,
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
