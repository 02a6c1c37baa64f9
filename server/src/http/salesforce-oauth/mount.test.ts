import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { silentLogger } from '../../logging/logger.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import { listen, type RunningServer } from '../listen.ts';
import { buildServeApp } from '../serve-app.ts';

/**
 * The install routes as buildServeApp mounts them for `closewise serve` and the serverless functions, from
 * the SALESFORCE_* environment: each setting shows in where /install sends the admin.
 */
describe('buildServeApp mounts /oauth/salesforce from SALESFORCE_*', () => {
  let store: TestStore;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    store = await openTestPglite();
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await store?.dispose();
  });

  async function installRedirect(env: Record<string, string>): Promise<{ status: number; location: URL | null }> {
    const full = { CLOSEWISE_ENCRYPTION_KEY: 'c'.repeat(64), SALESFORCE_CLIENT_ID: 'cid', SALESFORCE_CLIENT_SECRET: 'csecret', ...env };
    const runtime: Runtime = { config: loadConfig(full), logger: silentLogger, store, close: async () => {} };
    const server = await listen(buildServeApp(runtime, null, full).app, '127.0.0.1', 0);
    servers.push(server);
    const response = await fetch(`${server.url}/oauth/salesforce/install`, { redirect: 'manual' });
    const location = response.headers.get('location');
    return { status: response.status, location: location ? new URL(location) : null };
  }

  it('sends the admin to login.salesforce.com by default, with the callback under PUBLIC_BASE_URL', async () => {
    const { status, location } = await installRedirect({ PUBLIC_BASE_URL: 'https://closewise.example.com/' });
    expect(status).toBe(302);
    expect(`${location?.origin}${location?.pathname}`).toBe('https://login.salesforce.com/services/oauth2/authorize');
    expect(location?.searchParams.get('client_id')).toBe('cid');
    expect(location?.searchParams.get('redirect_uri')).toBe('https://closewise.example.com/oauth/salesforce/callback');
  });

  it('uses SALESFORCE_LOGIN_URL (sandbox or My Domain) and SALESFORCE_REDIRECT_URL', async () => {
    const sandbox = await installRedirect({
      PUBLIC_BASE_URL: 'https://a.example.com',
      SALESFORCE_LOGIN_URL: 'https://test.salesforce.com',
    });
    expect(sandbox.location?.origin).toBe('https://test.salesforce.com');
    const myDomain = await installRedirect({
      SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce.com/',
      SALESFORCE_REDIRECT_URL: 'https://b.example.com/oauth/salesforce/callback',
    });
    expect(`${myDomain.location?.origin}${myDomain.location?.pathname}`).toBe('https://acme.my.salesforce.com/services/oauth2/authorize');
    expect(myDomain.location?.searchParams.get('redirect_uri')).toBe('https://b.example.com/oauth/salesforce/callback');
  });

  it('mounts no install without a callback URL (neither SALESFORCE_REDIRECT_URL nor PUBLIC_BASE_URL), nor without the app', async () => {
    expect((await installRedirect({})).status).toBe(404);
    expect((await installRedirect({ PUBLIC_BASE_URL: 'https://a.example.com', SALESFORCE_CLIENT_SECRET: '' })).status).toBe(404);
  });
});
