import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { type SalesforceSandbox, startSalesforceSandbox } from '@closewise/sandboxes/salesforce/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SalesforceSettings } from '../../connectors/registry.ts';
import { boundSalesforceRequests } from '../../connectors/salesforce/request-timeout.ts';
import { silentLogger } from '../../logging/logger.ts';
import { selectTokenCiphertext } from '../../store/tables/tenants.ts';
import { findTenant, type Tenant } from '../../tenants/tenant-repository.ts';
import { freePort } from '../../test-support/closewise-process.ts';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import { buildApp } from '../app.ts';
import { listen, type RunningServer } from '../listen.ts';
import { salesforceOAuthRouter } from './router.ts';

const ORG_ID = '00D5g0000000001EAA';

/** The install routes against the Salesforce sandbox, whose connected app requires PKCE and knows only our callback. */
describe('Salesforce OAuth install (/oauth/salesforce)', () => {
  let store: TestStore;
  let sandbox: SalesforceSandbox;
  let server: RunningServer;
  let origin: string;
  const installed: Tenant[] = [];
  const key = randomBytes(32);

  beforeAll(async () => {
    store = await openTestPglite();
    origin = `http://127.0.0.1:${await freePort()}`;
    sandbox = await startSalesforceSandbox({ redirectUris: [`${origin}/oauth/salesforce/callback`], requirePkce: true });
    const settings: SalesforceSettings = {
      oauth: {
        loginUrl: sandbox.loginUrl,
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        redirectUri: `${origin}/oauth/salesforce/callback`,
      },
      apiVersion: sandbox.apiVersion,
    };
    const router = salesforceOAuthRouter({
      db: store.db,
      logger: silentLogger,
      encryptionKey: key,
      settings,
      onInstalled: (tenant) => {
        installed.push(tenant);
      },
    });
    // The same app, but Salesforce's token endpoint is somewhere that does not answer (or is closed).
    const unreachable = (loginUrl: string) =>
      salesforceOAuthRouter({
        db: store.db,
        logger: silentLogger,
        encryptionKey: key,
        settings: { ...settings, oauth: { ...settings.oauth, loginUrl } },
      });
    const routers = [
      { path: '/oauth/salesforce', router },
      { path: '/closed/oauth/salesforce', router: unreachable(`http://127.0.0.1:${await freePort()}`) },
      { path: '/silent/oauth/salesforce', router: unreachable(`http://127.0.0.1:${(await silentServer()).port}`) },
    ];
    server = await listen(buildApp({ db: store.db, logger: silentLogger, routers }), '127.0.0.1', Number(new URL(origin).port));
  });
  afterAll(async () => {
    await server?.close();
    await sandbox?.stop();
    await store?.dispose();
    await silent?.close();
  });

  /** A browser that opens /install: the consent URL and the cookie it must send back. */
  async function startInstall(prefix = '') {
    const response = await fetch(`${origin}${prefix}/oauth/salesforce/install`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const consentUrl = response.headers.get('location') ?? '';
    const cookie = (response.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    return { consentUrl, state: new URL(consentUrl).searchParams.get('state') ?? '', cookie };
  }
  const callback = (query: URLSearchParams | Record<string, string>, cookie?: string, prefix = '') =>
    fetch(`${origin}${prefix}/oauth/salesforce/callback?${new URLSearchParams(query).toString()}`, {
      redirect: 'manual',
      ...(cookie ? { headers: { cookie } } : {}),
    });
  /** The whole flow as an admin clicks it: install, Allow, back to the callback with this browser's cookie. */
  async function approvedInstall() {
    const browser = await startInstall();
    const back = await sandbox.approveAuthorization(browser.consentUrl);
    return { ...browser, back, complete: () => callback(back.searchParams, browser.cookie) };
  }
  const textOf = async (response: Response) =>
    (await response.text()).replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));

  it('sends the admin to the org login host with code, client id, callback, scopes, state and an S256 PKCE challenge', async () => {
    for (const path of ['install', 'authorize']) {
      const response = await fetch(`${origin}/oauth/salesforce/${path}`, { redirect: 'manual' });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.origin + location.pathname).toBe(`${sandbox.loginUrl}/services/oauth2/authorize`);
      const params = Object.fromEntries(location.searchParams);
      expect(params).toMatchObject({
        response_type: 'code',
        client_id: sandbox.clientId,
        redirect_uri: `${origin}/oauth/salesforce/callback`,
        scope: 'api refresh_token',
        code_challenge_method: 'S256',
      });
      expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(params.state?.split('.')).toHaveLength(3);
      expect(response.headers.getSetCookie()[0]).toMatch(
        /^closewise_oauth_salesforce=.*; Path=\/oauth\/salesforce\/callback; HttpOnly; SameSite=Lax$/,
      );
    }
    // Every install has its own challenge (its own verifier).
    const [a, b] = [await startInstall(), await startInstall()];
    expect(new URL(a.consentUrl).searchParams.get('code_challenge')).not.toBe(new URL(b.consentUrl).searchParams.get('code_challenge'));
  });

  it('installs the org on Allow: encrypted tokens, the install hook (first sync), and a page with the next step', async () => {
    const { complete } = await approvedInstall();
    const response = await complete();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await textOf(response);
    expect(page).toContain(`closewise salesforce issue-key --org ${ORG_ID}`);
    expect(response.headers.getSetCookie()[0]).toMatch(/^closewise_oauth_salesforce=; Max-Age=0;/);

    const tenant = await findTenant(store.db, 'salesforce', ORG_ID);
    expect(tenant).toMatchObject({ status: 'active', authMode: 'oauth', name: `Salesforce org ${ORG_ID}` });
    expect(installed.map((t) => t.id)).toEqual([tenant?.id]);
    const ciphertext = (await selectTokenCiphertext(store.db, tenant?.id ?? '')) ?? '';
    expect(ciphertext).not.toMatch(/00D!|5Aep/);

    // Installing again keeps the tenant (its API keys, data and models) and takes the new tokens.
    const again = await (await approvedInstall()).complete();
    expect(again.status).toBe(200);
    expect((await findTenant(store.db, 'salesforce', ORG_ID))?.id).toBe(tenant?.id);
    expect(await selectTokenCiphertext(store.db, tenant?.id ?? '')).not.toBe(ciphertext);
  });

  it('answers Deny (access_denied) and other Salesforce errors with a 400 page, and installs nothing', async () => {
    const count = installed.length;
    const browser = await startInstall();
    const denied = await sandbox.approveAuthorization(browser.consentUrl, 'deny');
    expect(denied.searchParams.get('error')).toBe('access_denied');
    const response = await callback(denied.searchParams, browser.cookie);
    expect(response.status).toBe(400);
    expect(await textOf(response)).toContain("Access was declined on Salesforce's consent page");

    const other = await callback(
      { error: 'invalid_request', error_description: '<script>x</script>', state: browser.state },
      browser.cookie,
    );
    expect(other.status).toBe(400);
    const html = await other.text();
    expect(html).not.toContain('<script>x');
    expect(html).toContain('invalid_request');
    expect((await callback({})).status).toBe(400);
    expect(installed.length).toBe(count);
  });

  it('refuses a forged or expired state, a callback from another browser, and a replayed state', async () => {
    const { back, cookie } = await approvedInstall();
    const code = back.searchParams.get('code') ?? '';
    expect((await callback({ code, state: 'forged.1.abc' }, cookie)).status).toBe(401);
    const withoutCookie = await callback(back.searchParams);
    expect(withoutCookie.status).toBe(401);
    expect(await textOf(withoutCookie)).toContain('This browser did not start this install');
    const other = await startInstall();
    expect((await callback(back.searchParams, other.cookie)).status).toBe(401);

    expect((await callback(back.searchParams, cookie)).status).toBe(200);
    const replay = await callback(back.searchParams, cookie);
    expect(replay.status).toBe(400);
    expect(await textOf(replay)).toContain('This install link was already used');
  });

  it('sends the verifier of this install: a code approved for another install is refused by Salesforce (400)', async () => {
    const mine = await startInstall();
    const theirs = await startInstall();
    const theirCode = (await sandbox.approveAuthorization(theirs.consentUrl)).searchParams.get('code') ?? '';
    const response = await callback({ code: theirCode, state: mine.state }, mine.cookie);
    expect(response.status).toBe(400);
    expect(await textOf(response)).toContain('Salesforce refused the authorization code (invalid_grant: invalid code verifier)');
  });

  it('says a spent or expired code is expired (400), not a server error', async () => {
    const first = await approvedInstall();
    expect((await first.complete()).status).toBe(200);
    const next = await startInstall();
    const reused = await callback({ code: first.back.searchParams.get('code') ?? '', state: next.state }, next.cookie);
    expect(reused.status).toBe(400);
    expect(await textOf(reused)).toContain('invalid_grant: expired authorization code');

    const late = await startInstall();
    const lateBack = await sandbox.approveAuthorization(late.consentUrl);
    sandbox.expireAuthorizationCodes();
    const expired = await callback(lateBack.searchParams, late.cookie);
    expect(expired.status).toBe(400);
    expect(await textOf(expired)).toContain('expired authorization code');
  });

  it('answers 502 with a page when the token endpoint is closed or does not answer in time', async () => {
    const closed = await startInstall('/closed');
    const refused = await callback({ code: 'aPrx1', state: closed.state }, closed.cookie, '/closed');
    expect(refused.status).toBe(502);
    expect(await textOf(refused)).toContain('token endpoint at http://127.0.0.1:');

    // jsforce's request timeout, shortened for this file (request-timeout.ts sets it for the process).
    boundSalesforceRequests(500);
    try {
      const hung = await startInstall('/silent');
      const started = Date.now();
      const answer = await callback({ code: 'aPrx2', state: hung.state }, hung.cookie, '/silent');
      expect(answer.status).toBe(502);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      boundSalesforceRequests();
    }
  });
});

/** A server that accepts connections and never answers (a hung Salesforce). */
let silent: { port: number; close(): Promise<void> } | undefined;
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const tcp: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const address = tcp.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  silent = {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        tcp.close(() => resolve());
      }),
  };
  return silent;
}

describe('Salesforce OAuth install into an org without the Closewise package', () => {
  it('connects the org and says on the page that the fields must be deployed first', async () => {
    const store = await openTestPglite();
    const origin = `http://127.0.0.1:${await freePort()}`;
    const callbackUrl = `${origin}/oauth/salesforce/callback`;
    const sandbox = await startSalesforceSandbox({ redirectUris: [callbackUrl], closewiseFieldsInstalled: false });
    const router = salesforceOAuthRouter({
      db: store.db,
      logger: silentLogger,
      encryptionKey: randomBytes(32),
      settings: {
        oauth: { loginUrl: sandbox.loginUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, redirectUri: callbackUrl },
        apiVersion: sandbox.apiVersion,
      },
    });
    const server = await listen(
      buildApp({ db: store.db, logger: silentLogger, routers: [{ path: '/oauth/salesforce', router }] }),
      '127.0.0.1',
      Number(new URL(origin).port),
    );
    try {
      const install = await fetch(`${origin}/oauth/salesforce/install`, { redirect: 'manual' });
      const cookie = (install.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
      const back = await sandbox.approveAuthorization(install.headers.get('location') ?? '');
      const response = await fetch(`${callbackUrl}?${back.searchParams.toString()}`, { headers: { cookie } });
      expect(response.status).toBe(200);
      const page = (await response.text()).replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
      expect(page).toMatch(/role="alert".*Closewise fields missing or read-only in Salesforce: Opportunity\.Closewise_Win_Probability__c/s);
      expect((await findTenant(store.db, 'salesforce', ORG_ID))?.status).toBe('active');
    } finally {
      await server.close();
      await sandbox.stop();
      await store.dispose();
    }
  });
});
