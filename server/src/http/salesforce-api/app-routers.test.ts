import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { createLogger } from '../../logging/logger.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { buildApp } from '../app.ts';
import { listen } from '../listen.ts';
import { salesforceAppRouters } from '../salesforce-app-routers.ts';
import { type InstalledOrg, installSalesforceOrg } from './test-support/installed-org.ts';

/**
 * salesforceAppRouters as `closewise serve` would mount it: the connector comes from the tenant's stored,
 * encrypted tokens and the SALESFORCE_* environment, and refreshes an expired access token by itself.
 */
let o: InstalledOrg;
beforeAll(async () => {
  o = await installSalesforceOrg(6, 150);
}, 240_000);
afterAll(async () => {
  await o?.close();
});

const runtimeOf = (inst: InstalledOrg): Runtime => ({
  config: loadConfig({}),
  logger: createLogger({ level: 'silent' }),
  store: inst.store,
  close: async () => {},
});

describe('salesforceAppRouters', () => {
  it('mounts nothing without the connected app credentials, and refuses a malformed SALESFORCE_LOGIN_URL', () => {
    expect(salesforceAppRouters(runtimeOf(o), o.encryptionKey, null, {})).toEqual([]);
    expect(() =>
      salesforceAppRouters(runtimeOf(o), o.encryptionKey, null, {
        SALESFORCE_CLIENT_ID: 'a',
        SALESFORCE_CLIENT_SECRET: 'b',
        SALESFORCE_LOGIN_URL: 'nope',
      }),
    ).toThrow(/SALESFORCE_LOGIN_URL/);
  });

  it('rescores a Lead through the stored tokens, refreshing the expired access token and storing it encrypted', async () => {
    const env = {
      SALESFORCE_LOGIN_URL: o.org.oauth.loginUrl,
      SALESFORCE_CLIENT_ID: o.org.oauth.clientId,
      SALESFORCE_CLIENT_SECRET: o.org.oauth.clientSecret,
      SALESFORCE_API_VERSION: o.org.sandbox.apiVersion,
    };
    const routers = salesforceAppRouters(runtimeOf(o), o.encryptionKey, null, env);
    expect(routers).toHaveLength(1);
    const server = await listen(buildApp({ db: o.store.db, logger: createLogger({ level: 'silent' }), routers }), '127.0.0.1', 0);
    try {
      const tokensBefore = (
        await o.store.db.selectFrom('tenants').select('token_ciphertext').where('id', '=', o.tenant.id).executeTakeFirst()
      )?.token_ciphertext;
      o.org.sandbox.expireAccessTokens();
      const lead = o.org.sandbox.records('Lead').find((l) => l.IsConverted === false && l.Closewise_Likelihood_To_Close__c === undefined);
      expect(lead).toBeDefined();
      const res = await fetch(`${server.url}/api/salesforce/records/Lead/${String(lead?.Id)}/rescore`, {
        method: 'POST',
        headers: { authorization: `Bearer ${o.apiKey}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect(o.org.sandbox.record(String(lead?.Id))?.Closewise_Likelihood_To_Close__c).toEqual(expect.any(Number));
      // The refreshed token is stored in the background (the request does not wait on it).
      await vi.waitFor(async () => {
        const row = await o.store.db.selectFrom('tenants').select('token_ciphertext').where('id', '=', o.tenant.id).executeTakeFirst();
        expect(row?.token_ciphertext).toBeTruthy();
        expect(row?.token_ciphertext).not.toBe(tokensBefore);
      });
    } finally {
      await server.close();
    }
  }, 120_000);
});
