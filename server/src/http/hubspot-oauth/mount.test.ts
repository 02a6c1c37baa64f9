import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { silentLogger } from '../../logging/logger.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import { listen, type RunningServer } from '../listen.ts';
import { buildServeApp } from '../serve-app.ts';

/**
 * The install route as buildServeApp mounts it for `closewise serve` and the serverless functions, from the
 * HUBSPOT_* environment: HUBSPOT_AUTHORIZE_URL shows in where /install sends the admin.
 */
describe('buildServeApp mounts /oauth/hubspot from HUBSPOT_*', () => {
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
    const full = {
      CLOSEWISE_ENCRYPTION_KEY: 'c'.repeat(64),
      HUBSPOT_CLIENT_ID: 'hs-client',
      HUBSPOT_CLIENT_SECRET: 'hs-secret',
      HUBSPOT_REDIRECT_URL: 'https://closewise.example.com/oauth/hubspot/callback',
      ...env,
    };
    const runtime: Runtime = { config: loadConfig(full), logger: silentLogger, store, close: async () => {} };
    // Without HUBSPOT_APP_ID no webhook queue starts, so there is nothing to stop but the server.
    const server = await listen(buildServeApp(runtime, null, full).app, '127.0.0.1', 0);
    servers.push(server);
    const response = await fetch(`${server.url}/oauth/hubspot/install`, { redirect: 'manual' });
    const location = response.headers.get('location');
    return { status: response.status, location: location ? new URL(location) : null };
  }

  const page = (url: URL | null) => `${url?.origin}${url?.pathname}`;

  it('sends the admin to app.hubspot.com by default', async () => {
    const { status, location } = await installRedirect({});
    expect(status).toBe(302);
    expect(page(location)).toBe('https://app.hubspot.com/oauth/authorize');
    expect(location?.searchParams.get('client_id')).toBe('hs-client');
    expect(location?.searchParams.get('redirect_uri')).toBe('https://closewise.example.com/oauth/hubspot/callback');
  });

  it('sends the admin to HUBSPOT_AUTHORIZE_URL: another HubSpot host, an account-specific page, a local sandbox', async () => {
    const eu = await installRedirect({ HUBSPOT_AUTHORIZE_URL: 'https://app-eu1.hubspot.com/oauth/authorize' });
    expect(page(eu.location)).toBe('https://app-eu1.hubspot.com/oauth/authorize');
    expect(eu.location?.searchParams.get('state')?.split('.')).toHaveLength(3);
    const account = await installRedirect({ HUBSPOT_AUTHORIZE_URL: 'https://app.hubspot.com/oauth/1234567/authorize' });
    expect(page(account.location)).toBe('https://app.hubspot.com/oauth/1234567/authorize');
    const sandbox = await installRedirect({ HUBSPOT_AUTHORIZE_URL: 'http://127.0.0.1:4010/oauth/authorize' });
    expect(page(sandbox.location)).toBe('http://127.0.0.1:4010/oauth/authorize');
    expect(sandbox.location?.searchParams.get('client_id')).toBe('hs-client');
  });
});
