import { randomBytes } from 'node:crypto';
import { type SalesforceSandbox, startSalesforceSandbox } from '@closewise/sandboxes/salesforce/sandbox';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { readPortalStatus } from '../../jobs/status.ts';
import { decryptJson } from '../../security/token-crypto.ts';
import { selectTokenCiphertext } from '../../store/tables/tenants.ts';
import { getTenant, type Tenant } from '../../tenants/tenant-repository.ts';
import { freePort } from '../../test-support/closewise-process.ts';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import { createConnectorRegistry, disconnectSalesforceOrg, type SalesforceSettings } from '../registry.ts';
import { installSalesforceTenant } from './install-tenant.ts';
import { SalesforceOrgDisconnectedError } from './org-disconnected.ts';
import type { SalesforceConnector } from './salesforce-connector.ts';

const CALLBACK = 'https://closewise.test/oauth/salesforce/callback';

/**
 * An installed org's tokens over time, through real jsforce against the sandbox: an expired access token
 * is refreshed (INVALID_SESSION_ID → refresh_token grant) and stored encrypted again; a refused refresh
 * token (invalid_grant) disconnects the tenant; `disconnectSalesforceOrg` revokes at Salesforce.
 */
describe('Salesforce token refresh, invalid_grant and revocation', () => {
  let store: TestStore;
  let sandbox: SalesforceSandbox;
  let settings: SalesforceSettings;
  let tenant: Tenant;
  const key = randomBytes(32);

  beforeEach(async () => {
    await sandbox?.stop();
    await store?.dispose();
    store = await openTestPglite();
    sandbox = await startSalesforceSandbox({ redirectUris: [CALLBACK] });
    settings = {
      oauth: { loginUrl: sandbox.loginUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, redirectUri: CALLBACK },
      apiVersion: sandbox.apiVersion,
    };
    const authorize = `${sandbox.loginUrl}/services/oauth2/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: sandbox.clientId,
      redirect_uri: CALLBACK,
      scope: 'api refresh_token',
    })}`;
    const code = (await sandbox.approveAuthorization(authorize)).searchParams.get('code') ?? '';
    tenant = await installSalesforceTenant(store.db, key, { oauth: settings.oauth, code, apiVersion: sandbox.apiVersion });
  });
  afterAll(async () => {
    await sandbox?.stop();
    await store?.dispose();
  });

  const stored = async () => {
    const text = await selectTokenCiphertext(store.db, tenant.id);
    return text ? (decryptJson(key, text) as { accessToken: string; refreshToken: string }) : null;
  };
  const connector = async () =>
    (await createConnectorRegistry({ db: store.db, encryptionKey: key, salesforce: settings }).forTenant(tenant.id)) as SalesforceConnector;

  it('refreshes an expired access token with the refresh token and stores the new one encrypted', async () => {
    const before = await stored();
    sandbox.expireAccessTokens();
    const first = await connector();
    expect(await first.missingFields()).toEqual([]);
    await first.close();
    const after = await stored();
    expect(sandbox.stats().rejectedSessions).toBe(1);
    expect(sandbox.stats().tokenRefreshes).toBe(1);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.refreshToken).toBe(before?.refreshToken);
    expect(await selectTokenCiphertext(store.db, tenant.id)).not.toContain(after?.accessToken ?? '');

    // The next connector (another job, after a restart) starts from the stored token: no second refresh.
    await (await connector()).missingFields();
    expect(sandbox.stats().tokenRefreshes).toBe(1);
  });

  it('disconnects the tenant when Salesforce refuses the refresh token (invalid_grant) instead of failing on', async () => {
    sandbox.revokeAllTokens();
    const revoked = await connector();
    const install = revoked.install();
    await expect(install).rejects.toBeInstanceOf(SalesforceOrgDisconnectedError);
    await expect(install).rejects.toThrow(/invalid_grant: .*expired access\/refresh token.*installs Closewise again/);
    // Later calls of the same connector fail the same way without asking Salesforce again.
    const requests = sandbox.stats().requests;
    await expect(revoked.sync({} as never)).rejects.toBeInstanceOf(SalesforceOrgDisconnectedError);
    expect(sandbox.stats().requests).toBe(requests);

    expect((await getTenant(store.db, tenant.id)).status).toBe('disabled');
    expect(await stored()).toBeNull();
    const [status] = await readPortalStatus(store.db, null);
    expect(status).toMatchObject({ portal: tenant.externalId, active: false });
    await expect(connector()).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/is disconnected/) });
  });

  it('revokes the refresh token at Salesforce on disconnect, then deletes the tokens and disables the tenant', async () => {
    const tokens = await stored();
    const live = sandbox.stats().liveRefreshTokens;
    expect(await disconnectSalesforceOrg(store.db, key, settings.oauth, await getTenant(store.db, tenant.id))).toEqual({
      revocation: 'revoked',
    });
    expect(sandbox.stats()).toMatchObject({ tokenRevocations: 1, liveRefreshTokens: live - 1 });
    // What was revoked is gone at Salesforce: the access token too.
    const api = await fetch(`${sandbox.url}/services/data/v${sandbox.apiVersion}/limits`, {
      headers: { Authorization: `Bearer ${tokens?.accessToken}` },
    });
    expect(api.status).toBe(401);
    expect((await getTenant(store.db, tenant.id)).status).toBe('disabled');
    expect(await stored()).toBeNull();
    // Again: nothing left to revoke, still disconnected.
    expect(await disconnectSalesforceOrg(store.db, key, settings.oauth, await getTenant(store.db, tenant.id))).toEqual({
      revocation: 'no_tokens',
    });
  });

  it('goes on disconnecting a token Salesforce already forgot, and changes nothing when Salesforce cannot be reached', async () => {
    const closed = { ...settings.oauth, loginUrl: `http://127.0.0.1:${await freePort()}` };
    await expect(disconnectSalesforceOrg(store.db, key, closed, tenant)).rejects.toMatchObject({ code: 'UPSTREAM' });
    expect((await getTenant(store.db, tenant.id)).status).toBe('active');
    expect(await stored()).not.toBeNull();

    sandbox.revokeAllTokens();
    expect(await disconnectSalesforceOrg(store.db, key, settings.oauth, tenant)).toEqual({ revocation: 'already_invalid' });
    expect((await getTenant(store.db, tenant.id)).status).toBe('disabled');
  });
});
