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
import { hubSpotOAuthRouter } from './router.ts';
import { startInstall } from './test-support/start-install.ts';

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
    // Another app's install (another client secret): its states are not ours.
    const otherApp = hubSpotOAuthRouter({
      db: store.db,
      logger: silentLogger,
      encryptionKey: key,
      oauth: { ...oauth, clientSecret: 'another-secret' },
      now,
    });
    const routers = [
      { path: '/oauth/hubspot', router },
      { path: '/other-app', router: otherApp },
    ];
    server = await listen(buildApp({ db: store.db, logger: silentLogger, routers }), '127.0.0.1', 0);
  });
  afterAll(async () => {
    await sandbox?.stop();
    await server?.close();
    await store?.dispose();
  });

  /** The callback as the browser calls it, with the install cookie when given one. */
  const callback = (query: Record<string, string>, cookie?: string) =>
    fetch(`${server.url}/oauth/hubspot/callback?${new URLSearchParams(query).toString()}`, {
      redirect: 'manual',
      ...(cookie ? { headers: { cookie } } : {}),
    });
  /** A browser that starts an install, approves it in HubSpot with these scopes, and comes back. */
  const approvedInstall = async (scopes = oauth.scopes) => {
    const browser = await startInstall(server.url);
    const code = sandbox.oauth.authorize({ redirectUri: oauth.redirectUri, scopes });
    return { ...browser, code, complete: () => callback({ code, state: browser.state }, browser.cookie) };
  };
  const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

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

  it('binds the state to the browser with an HttpOnly, SameSite=Lax cookie on the callback path that expires with it', async () => {
    const { setCookie, state } = await startInstall(server.url);
    expect(setCookie).toMatch(/^closewise_oauth_hubspot=[\w-]+\.\d+\.[\w-]+; /);
    expect(setCookie.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=600', 'Path=/oauth/hubspot/callback', 'SameSite=Lax']);
    // The cookie carries the state's nonce, not the state itself.
    expect(setCookie).not.toContain(state);
  });

  it('refuses a callback whose state we did not issue, or that expired, and bad queries', async () => {
    const { cookie, code } = await approvedInstall();
    const foreign = await startInstall(server.url, '/other-app');
    expect((await callback({ code, state: 'forged.123.abc' }, cookie)).status).toBe(401);
    expect((await callback({ code, state: foreign.state }, foreign.cookie)).status).toBe(401);
    expect((await callback({ state: 'x' })).status).toBe(400);
    expect((await callback({ error: 'access_denied' })).status).toBe(400);

    const late = await approvedInstall();
    clock += 11 * 60 * 1000;
    const expired = await late.complete();
    expect(expired.status).toBe(401);
    expect((await errorOf(expired)).message).toBe('The install link has expired or did not come from Closewise; start the install again.');
    expect(await findTenant(store.db, 'hubspot', String(sandbox.portalId))).toBeNull();
  });

  it('refuses a callback from a browser that did not start the install: no cookie, or another browser’s', async () => {
    const victim = await approvedInstall();
    const other = await startInstall(server.url);

    const withoutCookie = await callback({ code: victim.code, state: victim.state });
    expect(withoutCookie.status).toBe(401);
    expect((await errorOf(withoutCookie)).message).toMatch(
      /^This browser did not start this install .*start the install again in this browser\.$/,
    );

    const otherBrowser = await callback({ code: victim.code, state: victim.state }, other.cookie);
    expect(otherBrowser.status).toBe(401);
    expect((await errorOf(otherBrowser)).message).toMatch(/^This install was started in another browser/);

    // A cookie value is not a state: the two are signed apart.
    const cookieAsState = await callback({ code: victim.code, state: victim.cookie.split('=')[1] ?? '' }, victim.cookie);
    expect(cookieAsState.status).toBe(401);
    expect(await findTenant(store.db, 'hubspot', String(sandbox.portalId))).toBeNull();
  });

  it('an install approved without the schema scopes is refused with 403 and stores nothing', async () => {
    const response = await (await approvedInstall(['oauth', 'crm.objects.contacts.read'])).complete();
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('FORBIDDEN');
    expect(body.error.message).toMatch(/^HubSpot refused to let Closewise create its properties: /);
    expect(await findTenant(store.db, 'hubspot', String(sandbox.portalId))).toBeNull();
  });

  it('an unknown code is a 400 and stores nothing', async () => {
    const browser = await startInstall(server.url);
    expect((await callback({ code: 'not-a-code', state: browser.state }, browser.cookie)).status).toBe(400);
    expect(await findTenant(store.db, 'hubspot', String(sandbox.portalId))).toBeNull();
  });

  it('exchanges the code, provisions properties and stores the tenant with tokens encrypted', async () => {
    const install = await approvedInstall();
    const response = await install.complete();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ installed: true, portalId: String(sandbox.portalId) });
    // The cookie is cleared, and the state is spent: the same callback again (even with a fresh code) installs nothing.
    expect(response.headers.getSetCookie()[0]).toMatch(/^closewise_oauth_hubspot=; Max-Age=0; /);
    const tokenCalls = sandbox.stats().byPath['POST /oauth/v1/token'];
    const fresh = sandbox.oauth.authorize({ redirectUri: oauth.redirectUri, scopes: oauth.scopes });
    const replayed = await callback({ code: fresh, state: install.state }, install.cookie);
    expect(replayed.status).toBe(400);
    expect(await errorOf(replayed)).toEqual({ code: 'BAD_INPUT', message: 'This install link was already used; start the install again.' });
    expect(sandbox.stats().byPath['POST /oauth/v1/token']).toBe(tokenCalls);
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

  it('a state completes one install even when two callbacks with it race (a reinstall needs a new install link)', async () => {
    const browser = await startInstall(server.url);
    const codes = [1, 2].map(() => sandbox.oauth.authorize({ redirectUri: oauth.redirectUri, scopes: oauth.scopes }));
    const statuses = await Promise.all(codes.map(async (code) => (await callback({ code, state: browser.state }, browser.cookie)).status));
    expect(statuses.sort()).toEqual([200, 400]);
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
