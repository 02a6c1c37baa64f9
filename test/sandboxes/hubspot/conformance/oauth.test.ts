import { Client } from '@hubspot/api-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type HubSpotSandbox, startHubSpotSandbox } from '../index.ts';
import { failure, manualClock } from './helpers.ts';

const REDIRECT = 'http://localhost:3000/oauth/hubspot/callback';

describe('OAuth', () => {
  let sandbox: HubSpotSandbox | undefined;
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  async function install(sb: HubSpotSandbox) {
    const oauthClient = new Client({ basePath: sb.url });
    const code = sb.oauth.authorize({ redirectUri: REDIRECT, scopes: ['oauth', 'crm.objects.contacts.read'] });
    const tokens = await oauthClient.oauth.tokensApi.create('authorization_code', code, REDIRECT, sb.oauth.clientId, sb.oauth.clientSecret);
    return { oauthClient, code, tokens };
  }

  it('exchanges an authorization code for 30-minute tokens that the CRM API accepts', async () => {
    sandbox = await startHubSpotSandbox({ portalId: 777 });
    const { tokens } = await install(sandbox);
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.tokenType).toBe('bearer');
    const api = new Client({ accessToken: tokens.accessToken, basePath: sandbox.url });
    await api.crm.contacts.basicApi.getPage(1);
    const info = await new Client({ basePath: sandbox.url }).oauth.accessTokensApi.get(tokens.accessToken);
    expect(info.hubId).toBe(777);
    expect(info.appId).toBe(Number(sandbox.oauth.appId));
    expect(info.scopes).toContain('crm.objects.contacts.read');
    expect(info.expiresIn).toBeGreaterThan(1790);
  });

  it('includes hub_id in the token response', async () => {
    sandbox = await startHubSpotSandbox({ portalId: 778 });
    const code = sandbox.oauth.authorize({ redirectUri: REDIRECT });
    const res = await fetch(`${sandbox.url}/oauth/v3/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: sandbox.oauth.clientId,
        client_secret: sandbox.oauth.clientSecret,
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ hub_id: 778, expires_in: 1800, token_type: 'bearer' });
  });

  it('uses a code once and checks client secret and redirect_uri', async () => {
    sandbox = await startHubSpotSandbox();
    const { oauthClient, code } = await install(sandbox);
    const reused = await failure(
      oauthClient.oauth.tokensApi.create('authorization_code', code, REDIRECT, sandbox.oauth.clientId, sandbox.oauth.clientSecret),
    );
    expect(reused.code).toBe(400);
    expect(reused.body).toMatchObject({ status: 'BAD_AUTH_CODE', error: 'invalid_grant' });
    const fresh = sandbox.oauth.authorize({ redirectUri: REDIRECT });
    const badSecret = await failure(
      oauthClient.oauth.tokensApi.create('authorization_code', fresh, REDIRECT, sandbox.oauth.clientId, 'wrong'),
    );
    expect(badSecret.code).toBe(400);
    const badRedirect = await failure(
      oauthClient.oauth.tokensApi.create(
        'authorization_code',
        fresh,
        'http://evil.test/cb',
        sandbox.oauth.clientId,
        sandbox.oauth.clientSecret,
      ),
    );
    expect(badRedirect.body.status).toBe('BAD_REDIRECT_URI');
  });

  it('401s an expired access token with EXPIRED_AUTHENTICATION and refreshes it', async () => {
    const clock = manualClock();
    sandbox = await startHubSpotSandbox({ clock: clock.now });
    const { oauthClient, tokens } = await install(sandbox);
    clock.advance(30 * 60_000 + 1);
    const api = new Client({ accessToken: tokens.accessToken, basePath: sandbox.url });
    const expired = await failure(api.crm.contacts.basicApi.getPage(1));
    expect(expired.code).toBe(401);
    expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');
    const refreshed = await oauthClient.oauth.tokensApi.create(
      'refresh_token',
      undefined,
      undefined,
      sandbox.oauth.clientId,
      sandbox.oauth.clientSecret,
      tokens.refreshToken,
    );
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    api.setAccessToken(refreshed.accessToken);
    await api.crm.contacts.basicApi.getPage(1);
  });

  it('answers invalid_grant / BAD_REFRESH_TOKEN after uninstall, and 401 for old access tokens', async () => {
    sandbox = await startHubSpotSandbox();
    const { oauthClient, tokens } = await install(sandbox);
    sandbox.oauth.uninstall();
    const refresh = await failure(
      oauthClient.oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        sandbox.oauth.clientId,
        sandbox.oauth.clientSecret,
        tokens.refreshToken,
      ),
    );
    expect(refresh.code).toBe(400);
    expect(refresh.body).toMatchObject({ error: 'invalid_grant', status: 'BAD_REFRESH_TOKEN' });
    const api = new Client({ accessToken: tokens.accessToken, basePath: sandbox.url });
    expect((await failure(api.crm.contacts.basicApi.getPage(1))).code).toBe(401);
  });

  it('answers 403 MISSING_SCOPES when the token lacks the scope a call needs', async () => {
    sandbox = await startHubSpotSandbox();
    const { tokens } = await install(sandbox); // contacts read only
    const api = new Client({ accessToken: tokens.accessToken, basePath: sandbox.url });
    await api.crm.contacts.basicApi.getPage(1);
    const write = await failure(api.crm.contacts.basicApi.create({ properties: { email: 'w@t.test' }, associations: [] }));
    expect(write.code).toBe(403);
    expect(write.body.category).toBe('MISSING_SCOPES');
    expect((await failure(api.crm.deals.basicApi.getPage(1))).code).toBe(403);
  });

  it('records writes made with an OAuth token as INTEGRATION from the app', async () => {
    sandbox = await startHubSpotSandbox({ oauth: { appId: '4321' } });
    const code = sandbox.oauth.authorize({
      redirectUri: REDIRECT,
      scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'],
    });
    const tokens = await new Client({ basePath: sandbox.url }).oauth.tokensApi.create(
      'authorization_code',
      code,
      REDIRECT,
      sandbox.oauth.clientId,
      sandbox.oauth.clientSecret,
    );
    const api = new Client({ accessToken: tokens.accessToken, basePath: sandbox.url });
    const c = await api.crm.contacts.basicApi.create({ properties: { email: 'o@a.test' }, associations: [] });
    await api.crm.contacts.basicApi.update(c.id, { properties: { firstname: 'O' } });
    const read = await api.crm.contacts.basicApi.getById(c.id, ['firstname'], ['firstname']);
    expect(read.propertiesWithHistory?.firstname?.[0]).toMatchObject({ value: 'O', sourceType: 'INTEGRATION', sourceId: '4321' });
  });
});
