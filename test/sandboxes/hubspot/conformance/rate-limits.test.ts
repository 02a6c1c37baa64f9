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

  it("sends X-HubSpot-RateLimit-* headers with HubSpot's marketplace defaults", async () => {
    sandbox = await startHubSpotSandbox();
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    const res = await client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(res.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBe('109');
  });

  it('answers the 111th request in a rolling 10 s window with a TEN_SECONDLY_ROLLING 429, then recovers', async () => {
    const clock = manualClock();
    sandbox = await startHubSpotSandbox({ clock: clock.now });
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
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
