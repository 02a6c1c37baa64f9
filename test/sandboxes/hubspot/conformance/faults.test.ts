import { Client } from '@hubspot/api-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type HubSpotSandbox, startHubSpotSandbox } from '../index.ts';
import { failure } from './helpers.ts';

describe('fault injection', () => {
  let sandbox: HubSpotSandbox | undefined;
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  it('answers a configured share of requests with 5xx in HubSpot shape', async () => {
    sandbox = await startHubSpotSandbox({ faults: { serverErrorRate: 0.5, seed: 7 }, limits: false });
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    let failed = 0;
    for (let i = 0; i < 100; i++) {
      try {
        await client.crm.contacts.basicApi.getPage(1);
      } catch (err) {
        const e = err as { code: number };
        expect(e.code).toBeGreaterThanOrEqual(500);
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(30);
    expect(failed).toBeLessThan(70);
    sandbox.faults.clear();
    await client.crm.contacts.basicApi.getPage(1);
  });

  it('runs a 429 storm of N requests, then serves normally', async () => {
    sandbox = await startHubSpotSandbox();
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    sandbox.faults.rateLimitStorm(3);
    for (let i = 0; i < 3; i++) {
      const res = await failure(client.crm.deals.basicApi.getPage(1));
      expect(res.code).toBe(429);
      expect(res.body.policyName).toBe('TEN_SECONDLY_ROLLING');
    }
    await client.crm.deals.basicApi.getPage(1);
    expect(sandbox.stats().rateLimited).toBe(3);
  });

  it('drops connections without an answer', async () => {
    sandbox = await startHubSpotSandbox({ faults: { dropRate: 1 } });
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    await expect(client.crm.contacts.basicApi.getPage(1)).rejects.toThrow();
    expect(sandbox.stats().byStatus['0']).toBe(1);
  });

  it('adds latency', async () => {
    sandbox = await startHubSpotSandbox({ faults: { latencyMs: 120 } });
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    const started = performance.now();
    await client.crm.contacts.basicApi.getPage(1);
    // A lower bound only: latency is added, never removed.
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });
});
