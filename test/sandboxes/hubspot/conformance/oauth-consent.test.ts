import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubSpotSandbox, startHubSpotSandbox } from '../index.ts';

const REDIRECT = 'https://closewise.example.com/oauth/hubspot/callback';
const REQUIRED = ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'];
const OPTIONAL = ['crm.objects.owners.read'];

/**
 * HubSpot's install screens as the sandbox serves them at GET /oauth/authorize: an install URL that does not
 * match the app's Auth settings (client id, redirect URL, required and optional scopes) stops on HubSpot's
 * "Couldn't complete the connection" page and never reaches the app; a matching one shows the account chooser
 * and "Connect app", whose form redirects to the redirect URL with a code and the state.
 */
describe('OAuth consent page (GET /oauth/authorize)', () => {
  let sandbox: HubSpotSandbox;
  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({
      portalId: 4455,
      oauth: { redirectUris: [REDIRECT], requiredScopes: REQUIRED, optionalScopes: OPTIONAL },
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  const valid = () => ({ client_id: sandbox.oauth.clientId, redirect_uri: REDIRECT, scope: REQUIRED.join(' '), state: 'a.b/c d+é' });
  const open = (params: Record<string, string | undefined>) => {
    const url = new URL(sandbox.oauth.authorizeUrl);
    for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
    return fetch(url, { redirect: 'manual' });
  };
  /** The form's hidden fields, as a browser would post them back. */
  const hiddenFields = (html: string) =>
    Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map(([, name, value]) => [
        name,
        (value ?? '').replace(
          /&amp;|&lt;|&gt;|&quot;|&#39;/g,
          (e) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" })[e] ?? e,
        ),
      ]),
    );
  /** The admin choosing the account and clicking "Connect app". */
  const connect = (fields: Record<string, string>, portalId = String(sandbox.portalId)) =>
    fetch(sandbox.oauth.authorizeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, portal_id: portalId }),
      redirect: 'manual',
    });
  const refusal = async (response: Response) => {
    const html = await response.text();
    return { status: response.status, location: response.headers.get('location'), message: /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1] };
  };

  it('shows the account chooser and "Connect app" for a matching install URL, and redirects with a code and the state', async () => {
    const page = await open({ ...valid(), optional_scope: OPTIONAL.join(' ') });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Connect app | HubSpot</title>');
    expect(html).toContain('<button type="submit">Connect app</button>');
    for (const scope of [...REQUIRED, ...OPTIONAL]) expect(html).toContain(`<li>${scope}</li>`);

    const approved = await connect(hiddenFields(html));
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('a.b/c d+é');
    const code = back.searchParams.get('code') ?? '';

    // The code is good for tokens holding the required and the optional scopes.
    const tokens = await new Client({ basePath: sandbox.url }).oauth.tokensApi.create(
      'authorization_code',
      code,
      REDIRECT,
      sandbox.oauth.clientId,
      sandbox.oauth.clientSecret,
    );
    const info = await new Client({ basePath: sandbox.url }).oauth.accessTokensApi.get(tokens.accessToken);
    expect(info.hubId).toBe(4455);
    expect([...info.scopes].sort()).toEqual([...REQUIRED, ...OPTIONAL].sort());
  });

  it('stops on an unknown or missing client_id', async () => {
    for (const clientId of ['not-the-app', undefined]) {
      expect(await refusal(await open({ ...valid(), client_id: clientId }))).toEqual({
        status: 400,
        location: null,
        message: 'An invalid client_id was provided. Please contact the app developer.',
      });
    }
  });

  it("stops on a redirect_uri that is not exactly one of the app's redirect URLs, without redirecting there", async () => {
    for (const redirect of [
      `${REDIRECT}/`,
      `${REDIRECT}?next=1`,
      REDIRECT.replace('https:', 'http:'),
      REDIRECT.replace('/callback', '/callback-evil'),
      'https://evil.example.com/oauth/hubspot/callback',
      undefined,
    ]) {
      const refused = await refusal(await open({ ...valid(), redirect_uri: redirect }));
      expect(refused, String(redirect)).toMatchObject({ status: 400, location: null });
      expect(refused.message).toMatch(/^Authorization failed because the redirect URL in the install URL is not one of the app/);
    }
  });

  it("stops when scope is not exactly the app's required scopes, or optional_scope names a scope the app does not list", async () => {
    const cases: Record<string, string | undefined>[] = [
      { scope: REQUIRED.slice(1).join(' ') }, // without oauth
      { scope: [...REQUIRED, 'crm.objects.deals.read'].join(' ') }, // one the app does not require
      { scope: undefined },
      { scope: REQUIRED.join(' '), optional_scope: 'crm.objects.deals.read' },
    ];
    for (const params of cases) {
      const refused = await refusal(await open({ ...valid(), ...params }));
      expect(refused, JSON.stringify(params)).toMatchObject({ status: 400, location: null });
      expect(refused.message).toMatch(/mismatch between the scopes in the install URL and the app&#39;s configured scopes/);
    }
    // Order and separators do not matter: HubSpot reads a set.
    expect((await open({ ...valid(), scope: [...REQUIRED].reverse().join('+') })).status).toBe(200);
  });

  it('checks the posted form again: a tampered redirect or scope, or an account the admin cannot choose, is refused', async () => {
    const fields = hiddenFields(await (await open(valid())).text());
    expect((await refusal(await connect({ ...fields, redirect_uri: 'https://evil.example.com/cb' }))).status).toBe(400);
    expect((await refusal(await connect({ ...fields, scope: `${fields['scope']} crm.objects.deals.write` }))).status).toBe(400);
    expect(await refusal(await connect(fields, '999'))).toMatchObject({ status: 400, location: null });
    expect((await connect(fields)).status).toBe(302);
  });

  it('keeps defaulting to an app that requires only `oauth`', async () => {
    const plain = await startHubSpotSandbox();
    try {
      const url = new URL(plain.oauth.authorizeUrl);
      url.search = new URLSearchParams({
        client_id: plain.oauth.clientId,
        redirect_uri: plain.oauth.redirectUris[0] ?? '',
        scope: 'oauth',
      }).toString();
      expect((await fetch(url)).status).toBe(200);
      url.searchParams.set('scope', 'oauth crm.objects.contacts.read');
      expect((await fetch(url)).status).toBe(400);
    } finally {
      await plain.stop();
    }
  });
});
