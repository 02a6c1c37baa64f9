import { randomBytes } from 'node:crypto';
import { type SalesforceDemoOrg, startSalesforceDemoOrg } from '@closewise/sandboxes/salesforce/demo-org';
import {
  createConnectorRegistry,
  installSalesforceOrg as installOrgTenant,
  type SalesforceSettings,
} from '../../../connectors/registry.ts';
import { createMemoryPortalLocks } from '../../../jobs/portal-locks.ts';
import { createLogger } from '../../../logging/logger.ts';
import { scoreTenant, trainTenantModels } from '../../../scoring/index.ts';
import { createStoreSyncSink } from '../../../store/sync-sink.ts';
import type { Tenant } from '../../../tenants/tenant-repository.ts';
import { openTestPglite, type TestStore } from '../../../test-support/stores.ts';
import { buildApp } from '../../app.ts';
import { listen, type RunningServer } from '../../listen.ts';
import { issueSalesforceApiKey } from '../api-keys.ts';
import { createSalesforceApiRouter } from '../router.ts';

/**
 * A Salesforce tenant installed as the demo installs one (real OAuth against the sandbox org, tokens
 * encrypted in the tenant row), synced, trained and scored — but nothing written back yet — behind the
 * real router on a free port. The connector used by rescore is built from the stored tokens only.
 */
export interface InstalledOrg {
  org: SalesforceDemoOrg;
  store: TestStore;
  tenant: Tenant;
  apiKey: string;
  /** The tenant-token key, for building other routers over the same store. */
  encryptionKey: Buffer;
  now: Date;
  server: RunningServer;
  call(method: string, path: string, options?: { key?: string | null; body?: string; authorization?: string }): Promise<ApiAnswer>;
  close(): Promise<void>;
}

export interface ApiAnswer {
  status: number;
  text: string;
  body: unknown;
}

export async function installSalesforceOrg(seed: number, contacts: number): Promise<InstalledOrg> {
  const org = await startSalesforceDemoOrg(seed, { contacts });
  const store = await openTestPglite();
  const key = randomBytes(32);
  const settings: SalesforceSettings = { oauth: org.oauth, apiVersion: org.sandbox.apiVersion, connector: { budget: { reserve: 0 } } };
  const { tenant, connector } = await installOrgTenant(store.db, key, settings, {
    code: await org.authorizationCode(),
    name: org.data.name,
  });
  const now = new Date(org.data.now);
  await connector.sync(createStoreSyncSink(store.db, tenant.id));
  await trainTenantModels(store.db, tenant.id, { now, seed });
  await scoreTenant(store.db, tenant.id, { now });
  const apiKey = await issueSalesforceApiKey(store.db, tenant.id);

  const router = createSalesforceApiRouter({
    db: store.db,
    now: () => now,
    connectors: createConnectorRegistry({ db: store.db, encryptionKey: key, salesforce: settings }),
    locks: createMemoryPortalLocks(),
  });
  const app = buildApp({ db: store.db, logger: createLogger({ level: 'silent' }), routers: [{ path: '/', router }] });
  const server = await listen(app, '127.0.0.1', 0);

  return {
    org,
    store,
    tenant,
    apiKey,
    encryptionKey: key,
    now,
    server,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { accept: 'application/json' };
      const apiKeyToSend = options.key === undefined ? apiKey : options.key;
      if (options.authorization !== undefined) headers.authorization = options.authorization;
      else if (apiKeyToSend !== null) headers.authorization = `Bearer ${apiKeyToSend}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${server.url}${path}`, { method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      return { status: res.status, text, body };
    },
    async close() {
      await server.close();
      await org.stop();
      await store.dispose();
    },
  };
}
