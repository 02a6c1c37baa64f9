import { randomBytes } from 'node:crypto';
import type { NeutralRecord } from '@closewise/server/connectors/connector';
import { issueSalesforceApiKey } from '@closewise/server/http/salesforce-api/api-keys';
import { encryptJson } from '@closewise/server/security/token-crypto';
import { createStoreSyncSink } from '@closewise/server/store/sync-sink';
import { writeTokenCiphertext } from '@closewise/server/store/tables/tenant-tokens';
import { upsertTenant } from '@closewise/server/tenants/tenant-repository';
import { openTestPostgres } from '@closewise/server/test-support/stores';
import { closedPort, type ServeProcess, startServe } from './serve-process.ts';

/** What a hostile client may know (or guess) about the backend under test. */
export interface InstalledBackend {
  serve: ServeProcess;
  clientSecret: string;
  /** The HubSpot portal Closewise is installed in, and records of it the card API knows. */
  portalId: string;
  records: { deals: string; contacts: string; companies: string };
  /** A valid Salesforce API key, and ids of records of that org. */
  salesforceApiKey: string;
  salesforceIds: { Opportunity: string; Lead: string; Account: string };
  /** Where the CRMs "are": ports nobody listens on, so every outbound call fails as with a stopped CRM. */
  deadCrmUrl: string;
  stop(): Promise<void>;
}

const record = (objectType: NeutralRecord['objectType'], externalId: string, properties: Record<string, string>): NeutralRecord => ({
  objectType,
  externalId,
  createdAt: new Date('2025-01-01T00:00:00Z'),
  updatedAt: new Date('2025-01-02T00:00:00Z'),
  archived: false,
  properties,
  history: [],
});

/**
 * `closewise serve` as production runs it — its own process, PostgreSQL, every router mounted (card API,
 * webhooks, OAuth install, Salesforce API) — with one HubSpot portal and one Salesforce org installed and a
 * few records synced, and both CRMs unreachable.
 */
export async function startInstalledBackend(): Promise<InstalledBackend> {
  const store = await openTestPostgres();
  const encryptionKey = randomBytes(32);
  const clientSecret = `fuzz-secret-${randomBytes(8).toString('hex')}`;
  const portalId = '424242';
  const hubspot = await upsertTenant(store.db, encryptionKey, {
    crm: 'hubspot',
    externalId: portalId,
    name: 'fuzz portal',
    authMode: 'private_app',
    tokens: { accessToken: 'pat-fuzz-token' },
  });
  await createStoreSyncSink(store.db, hubspot.id).records([
    record('deal', '1001', { name: 'Fuzz deal', amount: '1000' }),
    record('contact', '2001', { email: 'fuzz@example.com' }),
    record('company', '3001', { name: 'Fuzz Inc' }),
  ]);

  const deadCrmUrl = `http://127.0.0.1:${await closedPort()}`;
  const orgId = '00D000000000001EAA';
  const salesforce = await upsertTenant(store.db, encryptionKey, {
    crm: 'salesforce',
    externalId: orgId,
    name: 'fuzz org',
    authMode: 'oauth',
    tokens: { accessToken: 'pending' },
  });
  // The connector's token set (a superset of TenantTokens: instanceUrl, issuedAt), pointing at the dead CRM.
  await writeTokenCiphertext(
    store.db,
    salesforce.id,
    encryptJson(encryptionKey, {
      accessToken: 'sf-access-fuzz',
      refreshToken: 'sf-refresh-fuzz',
      instanceUrl: deadCrmUrl,
      issuedAt: new Date().toISOString(),
    }),
  );
  const salesforceIds = { Opportunity: '006000000000001AAA', Lead: '00Q000000000001EAA', Account: '001000000000001AAA' };
  await createStoreSyncSink(store.db, salesforce.id).records([
    record('deal', salesforceIds.Opportunity, { name: 'SF deal' }),
    record('contact', salesforceIds.Lead, { email: 'lead@example.com' }),
    record('company', salesforceIds.Account, { name: 'SF Inc' }),
  ]);
  const salesforceApiKey = await issueSalesforceApiKey(store.db, salesforce.id);

  const port = await closedPort();
  const origin = `http://127.0.0.1:${port}`;
  let serve: ServeProcess;
  try {
    serve = await startServe(port, {
      DATABASE_URL: store.databaseUrl,
      CLOSEWISE_JOBS: 'off',
      CLOSEWISE_ENCRYPTION_KEY: encryptionKey.toString('hex'),
      PUBLIC_BASE_URL: origin,
      HUBSPOT_CLIENT_SECRET: clientSecret,
      HUBSPOT_CLIENT_ID: 'fuzz-client-id',
      HUBSPOT_APP_ID: '777',
      HUBSPOT_REDIRECT_URL: `${origin}/oauth/hubspot/callback`,
      HUBSPOT_BASE_PATH: deadCrmUrl,
      SALESFORCE_CLIENT_ID: 'fuzz-sf-client',
      SALESFORCE_CLIENT_SECRET: 'fuzz-sf-secret',
      SALESFORCE_LOGIN_URL: deadCrmUrl,
    });
  } catch (error) {
    await store.dispose();
    throw error;
  }
  return {
    serve,
    clientSecret,
    portalId,
    records: { deals: '1001', contacts: '2001', companies: '3001' },
    salesforceApiKey,
    salesforceIds,
    deadCrmUrl,
    async stop() {
      await serve.stop();
      await store.dispose();
    },
  };
}
