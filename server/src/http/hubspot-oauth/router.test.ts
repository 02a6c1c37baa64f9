import { randomBytes } from 'node:crypto';
import { HUBSPOT_REQUIRED_SCOPES } from '@closewise/contract';
import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSpotAppUninstalledError } from '../../connectors/hubspot/errors.ts';
import { HubSpotConnector } from '../../connectors/hubspot/hubspot-connector.ts';
import type { HubSpotOAuthConfig } from '../../connectors/hubspot/oauth.ts';
import { storedOAuthTokenProvider } from '../../connectors/hubspot/token-provider.ts';
import { silentLogger } from '../../logging/logger.ts';
import { decryptJson } from '../../security/token-crypto.ts';
import { findTenant, type TenantTokens } from '../../tenants/tenant-repository.ts';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import { buildApp } from '../app.ts';
import { listen, type RunningServer } from '../listen.ts';
import { createOAuthState } from './oauth-state.ts';
import { hubSpotOAuthRouter } from './router.ts';

describe('HubSpot OAuth install and token lifecycle against the sandbox', () => {
  let store: TestStore;
  let sandbox: HubSpotSandbox;
  let server: RunningServer;
  let oauth: HubSpotOAuthConfig;
  const key = randomBytes(32);
  /** One clock for the sandbox and us, so token expiry is tested without waiting 30 minutes. */
  let clock = Date.now();
  const now = () => clock;

  beforeAll(async () => {
    store = await openTestPglite();
    sandbox = await startHubSpotSandbox({ clock: now });
    oauth = {
      clientId: sandbox.oauth.clientId,
      clientSecret: sandbox.oauth.clientSecret,
      redirectUri: sandbox.oauth.redirectUris[0] as string,
      scopes: [...HUBSPOT_REQUIRED_SCOPES],
      apiBasePath: sandbox.url,
    };
    const router = hubSpotOAuthRouter({ db: store.db, logger: silentLogger, encryptionKey: key, oauth, now });
    server = await listen(buildApp({ db: store.db, logger: silentLogger, routers: [{ path: '/oauth/hubspot', router }] }), '127.0.0.1', 0);
  });
  afterAll(async () => {
    await sandbox?.stop();
    await server?.close();
    await store?.dispose();
  });

  const callback = (query: Record<string, string>) =>
    fetch(`${server.url}/oauth/hubspot/callback?${new URLSearchParams(query).toString()}`, { redirect: 'manual' });

  it('sends the admin to HubSpot with client id, scopes, redirect and a signed state', async () => {
    const response = await fetch(`${server.url}/oauth/hubspot/install`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://app.hubspot.com/oauth/authorize');
    expect(location.searchParams.get('client_id')).toBe(oauth.clientId);
    expect(location.searchParams.get('redirect_uri')).toBe(oauth.redirectUri);
    expect(location.searchParams.get('scope')?.split(' ')).toContain('crm.objects.contacts.write');
    expect(location.searchParams.get('state')?.split('.')).toHaveLength(3);
  });

  it('refuses a callback whose state we did not issue, or that expired, and bad queries', async () => {
    const code = sandbox.oauth.authorize({ redirectUri: oauth.redirectUri, scopes: oauth.scopes });
    expect((await callback({ code, state: 'forged.123.abc' })).status).toBe(401);
    expect((await callback({ code, state: createOAuthState('another-secret', clock) })).status).toBe(401);
    expect((await callback({ code, state: createOAuthState(oauth.clientSecret, clock - 11 * 60 * 1000) })).status).toBe(401);
    expect((await callback({ state: 'x' })).status).toBe(400);
    expect((await callback({ error: 'access_denied' })).status).toBe(400);
    expect(await findTenant(store.db, 'hubspot', String(sandbox.portalId))).toBeNull();
  });

  it('an install approved without the schema scopes is refused with 403 and stores nothing', async () => {
    const code = sandbox.oauth.authorize({ redirectUri: oauth.redirectUri, scopes: ['oauth', 'crm.objects.contacts.read'] });
    const response = await callback({ code, state: createOAuthState(oauth.clientSecret, clock) });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('FORBIDDEN');
    expect(body.error.message).toMatch(/^HubSpot refused to let Closewise create its properties: /);
    expect(await findTenant(store.db, 'hubspot', String(sandbox.portalId))).toBeNull();
  });

  it('an unknown code is a 400 and stores nothing', async () => {
    expect((await callback({ code: 'not-a-code', state: createOAuthState(oauth.clientSecret, clock) })).status).toBe(400);
    expect(await findTenant(store.db, 'hubspot', String(sandbox.portalId))).toBeNull();
  });

  it('exchanges the code, provisions properties and stores the tenant with tokens encrypted', async () => {
    const code = sandbox.oauth.authorize({ redirectUri: oauth.redirectUri, scopes: oauth.scopes });
    const response = await callback({ code, state: createOAuthState(oauth.clientSecret, clock) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ installed: true, portalId: String(sandbox.portalId) });
    const tenant = await findTenant(store.db, 'hubspot', String(sandbox.portalId));
    expect(tenant).toMatchObject({ authMode: 'oauth', status: 'active' });
    const row = await store.db
      .selectFrom('tenants')
      .select(['token_ciphertext', 'token_expires_at'])
      .where('id', '=', tenant!.id)
      .executeTakeFirstOrThrow();
    const tokens = decryptJson<TenantTokens>(key, row.token_ciphertext!);
    expect(row.token_ciphertext).not.toContain(tokens.accessToken);
    expect(row.token_ciphertext).not.toContain(tokens.refreshToken);
    expect(Date.parse(tokens.expiresAt!) - clock).toBe(30 * 60 * 1000);
    const groups = sandbox.stats().byPath;
    expect(Object.keys(groups).some((path) => path.startsWith('POST /crm/v3/properties/'))).toBe(true);
  });

  it('refreshes before expiry, refreshes and retries once on a 401, and disables the tenant on invalid_grant', async () => {
    const tenant = (await findTenant(store.db, 'hubspot', String(sandbox.portalId)))!;
    // Our clock may lag HubSpot's: `lag` lets a test make us believe an expired token is still fresh.
    let lag = 0;
    const provider = storedOAuthTokenProvider({
      db: store.db,
      encryptionKey: key,
      tenantId: tenant.id,
      portalId: tenant.externalId,
      oauth,
      now: () => clock - lag,
    });
    const connector = new HubSpotConnector({ basePath: sandbox.url, portalId: tenant.externalId, tokens: provider });
    const readContacts = () => connector.api.call('standard', (c) => c.crm.contacts.basicApi.getPage(1));
    const tokenCalls = () => sandbox.stats().byPath['POST /oauth/v1/token'] ?? 0;
    const unauthorized = () => sandbox.stats().byStatus['401'] ?? 0;

    await readContacts();
    const first = await provider.current();
    const refreshesBefore = tokenCalls();

    // 26 minutes on: inside the 5-minute margin, so the next call refreshes first and never sees a 401.
    clock += 26 * 60 * 1000;
    const unauthorizedBefore = unauthorized();
    await readContacts();
    expect(tokenCalls()).toBe(refreshesBefore + 1);
    expect(unauthorized()).toBe(unauthorizedBefore);
    const second = await provider.current();
    expect(second).not.toBe(first);
    const stored = decryptJson<TenantTokens>(
      key,
      (await store.db.selectFrom('tenants').select('token_ciphertext').where('id', '=', tenant.id).executeTakeFirstOrThrow())
        .token_ciphertext!,
    );
    expect(stored.accessToken).toBe(second);

    // HubSpot's clock says the token expired; ours lags and thinks it is fresh: 401, refresh, one retry.
    clock += 31 * 60 * 1000;
    lag = 31 * 60 * 1000;
    await readContacts();
    expect(unauthorized()).toBe(unauthorizedBefore + 1);
    expect(tokenCalls()).toBe(refreshesBefore + 2);
    expect(connector.counters.refreshed).toBe(1);

    // The customer uninstalls: the refresh token is revoked.
    sandbox.oauth.uninstall();
    await expect(readContacts()).rejects.toBeInstanceOf(HubSpotAppUninstalledError);
    expect((await findTenant(store.db, 'hubspot', tenant.externalId))?.status).toBe('disabled');
  });
});
