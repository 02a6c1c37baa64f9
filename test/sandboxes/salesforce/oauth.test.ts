import { createHash, randomBytes } from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SalesforceSandbox, startSalesforceSandbox } from './sandbox.ts';

const CALLBACK = 'https://closewise.test/oauth/salesforce/callback';
const PKCE_APP = { clientId: '3MVG9pkce.app', clientSecret: 'pkce-secret', redirectUris: ['https://pkce.test/cb'], requirePkce: true };

/** The web-server flow's rejections, each as Salesforce answers it (what Closewise's install must cope with). */
describe('Salesforce sandbox OAuth: what a connected app is refused', () => {
  let sandbox: SalesforceSandbox;

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({ redirectUris: [CALLBACK], connectedApps: [PKCE_APP] });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const authorizeUrl = (params: Record<string, string>) =>
    `${sandbox.loginUrl}/services/oauth2/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: sandbox.clientId,
      redirect_uri: CALLBACK,
      ...params,
    }).toString()}`;
  const token = async (params: Record<string, string>) => {
    const response = await fetch(`${sandbox.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: sandbox.clientId, client_secret: sandbox.clientSecret, ...params }).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };
  const codeFor = async (params: Record<string, string> = {}) =>
    (await sandbox.approveAuthorization(authorizeUrl(params))).searchParams.get('code') ?? '';
  const exchange = (code: string, extra: Record<string, string> = {}) =>
    token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...extra });
  const verifier = () => randomBytes(48).toString('base64url');
  const challengeOf = (v: string) => createHash('sha256').update(v).digest('base64url');

  it('shows a consent page a browser can submit; Allow redirects with code and the state, Deny with access_denied', async () => {
    const page = await fetch(authorizeUrl({ state: 'st 1/2' }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<button type="submit" name="decision" value="allow">Allow</button>');

    const allowed = await sandbox.approveAuthorization(authorizeUrl({ state: 'st 1/2' }));
    expect(allowed.origin + allowed.pathname).toBe(CALLBACK);
    expect(allowed.searchParams.get('state')).toBe('st 1/2');
    expect(allowed.searchParams.get('code')).toMatch(/^aPrx/);

    const denied = await sandbox.approveAuthorization(authorizeUrl({ state: 'xyz' }), 'deny');
    expect(Object.fromEntries(denied.searchParams)).toEqual({
      error: 'access_denied',
      error_description: 'end-user denied authorization',
      state: 'xyz',
    });
  });

  it('refuses a redirect_uri that is not exactly a callback URL of the app, on its own error page (no redirect)', async () => {
    for (const redirect of [`${CALLBACK}/`, 'https://closewise.test/oauth/salesforce/callback?x=1', 'https://evil.test/cb', '']) {
      const page = await fetch(authorizeUrl({ redirect_uri: redirect }), { redirect: 'manual' });
      expect(page.status, redirect).toBe(400);
      expect(page.headers.get('location')).toBeNull();
      const text = (await page.text()).replace(/&#38;/g, '&');
      expect(text).toContain('error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration');
    }
    // Another app's callback is not this app's.
    const other = await fetch(authorizeUrl({ redirect_uri: 'https://pkce.test/cb' }), { redirect: 'manual' });
    expect(other.status).toBe(400);
    const unknownClient = await fetch(authorizeUrl({ client_id: 'nope' }), { redirect: 'manual' });
    expect((await unknownClient.text()).replace(/&#38;/g, '&')).toContain(
      'error=invalid_client_id&error_description=client%20identifier%20invalid',
    );
  });

  it('binds the code to the PKCE challenge: no verifier or a wrong one is invalid_grant "invalid code verifier"', async () => {
    const good = verifier();
    const code = await codeFor({ code_challenge: challengeOf(good), code_challenge_method: 'S256' });
    const invalid = { status: 400, body: { error: 'invalid_grant', error_description: 'invalid code verifier' } };
    expect(await exchange(code)).toEqual(invalid);
    expect(await exchange(code, { code_verifier: verifier() })).toEqual(invalid);
    // The challenge itself is not the verifier.
    expect(await exchange(code, { code_verifier: challengeOf(good) })).toEqual(invalid);
    const ok = await exchange(code, { code_verifier: good });
    expect(ok.status).toBe(200);
    expect(ok.body.refresh_token).toBeTruthy();
  });

  it('refuses an authorize request without code_challenge for an app that requires PKCE, and a method other than S256', async () => {
    const base = { client_id: PKCE_APP.clientId, redirect_uri: 'https://pkce.test/cb', state: 's' };
    const missing = await fetch(authorizeUrl(base), { redirect: 'manual' });
    expect(missing.status).toBe(302);
    expect(Object.fromEntries(new URL(missing.headers.get('location') ?? '').searchParams)).toEqual({
      error: 'invalid_request',
      error_description: 'missing required code challenge',
      state: 's',
    });
    const plain = await fetch(authorizeUrl({ ...base, code_challenge: challengeOf(verifier()), code_challenge_method: 'plain' }), {
      redirect: 'manual',
    });
    expect(new URL(plain.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  it('takes a code once and for 15 minutes: reused or expired is invalid_grant "expired authorization code"', async () => {
    const expired = { status: 400, body: { error: 'invalid_grant', error_description: 'expired authorization code' } };
    const code = await codeFor();
    expect((await exchange(code)).status).toBe(200);
    expect(await exchange(code)).toEqual(expired);

    const late = await codeFor();
    sandbox.expireAuthorizationCodes();
    expect(await exchange(late)).toEqual(expired);

    expect(await exchange('aPrxmadeup')).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'invalid authorization code' },
    });
  });

  it('refuses a token request whose redirect_uri differs from the authorize request, or with a wrong secret', async () => {
    const code = await codeFor();
    expect(await exchange(code, { redirect_uri: `${CALLBACK}/` })).toEqual({
      status: 400,
      body: { error: 'redirect_uri_mismatch', error_description: 'redirect_uri must match configuration' },
    });
    expect(await exchange(code, { client_secret: 'wrong' })).toEqual({
      status: 400,
      body: { error: 'invalid_client', error_description: 'invalid client credentials' },
    });
    // Neither spent the code.
    expect((await exchange(code)).status).toBe(200);
  });

  it('gives no refresh token when the refresh_token scope was not asked for', async () => {
    const code = await codeFor({ scope: 'api' });
    const answer = await exchange(code);
    expect(answer.status).toBe(200);
    expect(answer.body.refresh_token).toBeUndefined();
  });

  it('refreshes with the refresh_token grant; revoking the refresh token ends it and its access tokens', async () => {
    const first = await exchange(await codeFor());
    const refreshToken = first.body.refresh_token ?? '';
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(first.body.access_token);
    expect(refreshed.body.refresh_token).toBeUndefined();

    const api = (accessToken: string) =>
      fetch(`${sandbox.url}/services/data/v${sandbox.apiVersion}/limits`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect((await api(refreshed.body.access_token ?? '')).status).toBe(200);

    const revoke = (t: string) =>
      fetch(`${sandbox.loginUrl}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: t }).toString(),
      });
    expect((await revoke(refreshToken)).status).toBe(200);
    expect(await token({ grant_type: 'refresh_token', refresh_token: refreshToken })).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    });
    const after = await api(refreshed.body.access_token ?? '');
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);

    const again = await revoke(refreshToken);
    expect(again.status).toBe(400);
    expect(Object.fromEntries(new URLSearchParams(await again.text()))).toEqual({
      error: 'invalid_token',
      error_description: 'Token was invalid',
    });
  });

  it("runs jsforce's own PKCE (useVerifier) end to end", async () => {
    const oauth2 = new OAuth2({
      loginUrl: sandbox.loginUrl,
      clientId: PKCE_APP.clientId,
      clientSecret: PKCE_APP.clientSecret,
      redirectUri: 'https://pkce.test/cb',
      useVerifier: true,
    });
    const callback = await sandbox.approveAuthorization(oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 'j' }));
    const conn = new Connection({ oauth2, version: sandbox.apiVersion });
    const user = await conn.authorize(callback.searchParams.get('code') ?? '');
    expect(user.organizationId).toBe('00D5g0000000001EAA');
    // A second OAuth2 has another verifier: the code is refused.
    const other = new OAuth2({
      loginUrl: sandbox.loginUrl,
      clientId: PKCE_APP.clientId,
      clientSecret: PKCE_APP.clientSecret,
      redirectUri: 'https://pkce.test/cb',
      useVerifier: true,
    });
    const code = (await sandbox.approveAuthorization(oauth2.getAuthorizationUrl({ state: 'k' }))).searchParams.get('code') ?? '';
    await expect(new Connection({ oauth2: other, version: sandbox.apiVersion }).authorize(code)).rejects.toThrow('invalid code verifier');
  });
});
