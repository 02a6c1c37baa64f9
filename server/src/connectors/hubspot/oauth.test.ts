import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSpotUpstreamError } from './errors.ts';
import { exchangeAuthorizationCode, type HubSpotOAuthConfig, refreshAccessToken } from './oauth.ts';

/** A HubSpot that accepts the connection and never answers: the install callback and token refreshes must not wait on it. */
describe('HubSpot OAuth requests are bounded in time', () => {
  let silent: Server;
  let config: HubSpotOAuthConfig;

  beforeAll(async () => {
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    config = {
      clientId: 'cid',
      clientSecret: 'secret',
      redirectUri: 'https://closewise.example.com/oauth/hubspot/callback',
      scopes: ['oauth'],
      apiBasePath: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      requestTimeoutMs: 300,
    };
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('fails the code exchange and the refresh with an upstream error once the timeout passes', async () => {
    for (const call of [() => exchangeAuthorizationCode(config, 'code'), () => refreshAccessToken(config, 'refresh')]) {
      const started = Date.now();
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HubSpotUpstreamError);
      expect((error as Error).message).toBe("HubSpot's token endpoint did not answer within 0.3 s");
      expect(Date.now() - started).toBeLessThan(3_000);
    }
  });

  it('says HubSpot could not be reached when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await exchangeAuthorizationCode({ ...config, apiBasePath: `http://127.0.0.1:${port}` }, 'code').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotUpstreamError);
    expect((error as Error).message).toMatch(/^HubSpot's token endpoint could not be reached: /);
  });
});
