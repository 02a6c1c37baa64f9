import { Client } from '@hubspot/api-client';
import type { PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type HubSpotSandbox, startHubSpotSandbox } from '../index.ts';
import { failure, manualClock } from './helpers.ts';

describe('rate limits', () => {
  let sandbox: HubSpotSandbox | undefined;
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  /** An OAuth (marketplace app) access token of the sandbox portal. */
  async function oauthToken(sb: HubSpotSandbox): Promise<string> {
    const redirect = sb.oauth.redirectUris[0] as string;
    const code = sb.oauth.authorize({ redirectUri: redirect, scopes: ['oauth', 'crm.objects.contacts.read'] });
    const tokens = await new Client({ basePath: sb.url }).oauth.tokensApi.create(
      'authorization_code',
      code,
      redirect,
      sb.oauth.clientId,
      sb.oauth.clientSecret,
    );
    return tokens.accessToken;
  }

  it("sends X-HubSpot-RateLimit-* headers with HubSpot's marketplace-app limit to OAuth tokens, and no daily headers", async () => {
    sandbox = await startHubSpotSandbox();
    const client = new Client({ accessToken: await oauthToken(sandbox), basePath: sandbox.url });
    const res = await client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(res.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBe('109');
    expect(res.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
  });

  it.each([
    ['free', 100, 250_000],
    ['starter', 100, 250_000],
    ['professional', 190, 625_000],
    ['enterprise', 190, 1_000_000],
  ] as const)('gives a private app on %s its tier limits: %i / 10 s and %i a day, with the daily headers', async (tier, max, daily) => {
    const clock = manualClock();
    sandbox = await startHubSpotSandbox({ tier, clock: clock.now });
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    const res = await client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts' });
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe(String(max));
    expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBe(String(max - 1));
    expect(res.headers.get('x-hubspot-ratelimit-daily')).toBe(String(daily));
    expect(res.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe(String(daily - 1));
    for (let i = 1; i < max; i++) await client.crm.contacts.basicApi.getPage(1);
    const limited = await failure(client.crm.contacts.basicApi.getPage(1));
    expect(limited.body).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING' });
    // The rejected request did not spend a unit of the day.
    expect(limited.headers['x-hubspot-ratelimit-daily-remaining']).toBe(String(daily - max));
  });

  it("answers DAILY once the account's day is spent, until midnight in the account's time zone", async () => {
    // 23:58 in New York (EDT, UTC-4) is 03:58 UTC the next day: a UTC day would have turned long ago.
    const clock = manualClock(Date.parse('2026-06-30T03:58:00.000Z'));
    sandbox = await startHubSpotSandbox({ clock: clock.now, timeZone: 'America/New_York', limits: { daily: 3 } });
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    for (let i = 0; i < 3; i++) await client.crm.contacts.basicApi.getPage(1);
    const spent = await failure(client.crm.contacts.basicApi.getPage(1));
    expect(spent.code).toBe(429);
    expect(spent.body).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'DAILY',
      message: 'You have reached your daily limit.',
    });
    expect(spent.headers['x-hubspot-ratelimit-daily-remaining']).toBe('0');
    clock.advance(60_000); // 23:59 New York: still the same day
    expect((await failure(client.crm.contacts.basicApi.getPage(1))).body).toMatchObject({ policyName: 'DAILY' });
    clock.advance(60_000); // 00:00 New York: a new day
    const res = await client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('2');
    expect(sandbox.stats().rateLimitedByPolicy).toEqual({ DAILY: 2 });
  });

  it('does not count OAuth calls against the daily quota', async () => {
    sandbox = await startHubSpotSandbox({ limits: { daily: 2 } });
    const client = new Client({ accessToken: await oauthToken(sandbox), basePath: sandbox.url });
    for (let i = 0; i < 5; i++) await client.crm.contacts.basicApi.getPage(1);
    const privateApp = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    const res = await privateApp.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts' });
    expect(res.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('1');
  });

  it("reports the account's id and time zone at /account-info/v3/details, counted like any call", async () => {
    const clock = manualClock(Date.parse('2026-01-15T12:00:00.000Z'));
    sandbox = await startHubSpotSandbox({ clock: clock.now, portalId: 4242, timeZone: 'Europe/Berlin' });
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    const res = await client.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      portalId: 4242,
      accountType: 'STANDARD',
      timeZone: 'Europe/Berlin',
      utcOffset: '+01:00',
      utcOffsetMilliseconds: 3_600_000,
    });
    expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBe('99');
    const anonymous = await fetch(`${sandbox.url}/account-info/v3/details`);
    expect(anonymous.status).toBe(401);
  });

  it("answers an OAuth app's 111th request in a rolling 10 s window with a TEN_SECONDLY_ROLLING 429, then recovers", async () => {
    const clock = manualClock();
    sandbox = await startHubSpotSandbox({ clock: clock.now });
    const client = new Client({ accessToken: await oauthToken(sandbox), basePath: sandbox.url });
    for (let i = 0; i < 110; i++) {
      await client.crm.contacts.basicApi.getPage(1);
      if (i === 54) clock.advance(5_000);
    }
    const limited = await failure(client.crm.contacts.basicApi.getPage(1));
    expect(limited.code).toBe(429);
    expect(limited.body).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
      message: 'You have reached your ten_secondly_rolling limit.',
    });
    expect(limited.headers['x-hubspot-ratelimit-remaining']).toBe('0');
    // Rolling: after 5 s more, the first 55 requests have left the window, the later 55 have not.
    clock.advance(5_000);
    const res = await client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts' });
    expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBe('54');
    expect(sandbox.stats().rateLimited).toBe(1);
    expect(sandbox.stats().rateLimitedByPolicy).toEqual({ TEN_SECONDLY_ROLLING: 1 });
  });

  it('limits search to 5 per second with the SECONDLY policy the SDK recognises', async () => {
    const clock = manualClock();
    sandbox = await startHubSpotSandbox({ clock: clock.now });
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    const req = { limit: 1 } as PublicObjectSearchRequest;
    for (let i = 0; i < 5; i++) await client.crm.contacts.searchApi.doSearch(req);
    const limited = await failure(client.crm.contacts.searchApi.doSearch(req));
    expect(limited.code).toBe(429);
    expect(limited.body).toMatchObject({ policyName: 'SECONDLY', message: 'You have reached your secondly limit.' });
    // Search has its own bucket: other calls still pass.
    await client.crm.contacts.basicApi.getPage(1);
    clock.advance(1_000);
    await client.crm.contacts.searchApi.doSearch(req);
  });

  it('takes configurable limits', async () => {
    sandbox = await startHubSpotSandbox({ limits: { tenSecondly: { max: 3, intervalMs: 60_000 } } });
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    for (let i = 0; i < 3; i++) await client.crm.deals.basicApi.getPage(1);
    expect((await failure(client.crm.deals.basicApi.getPage(1))).code).toBe(429);
  });
});
