import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import type { ScoreWrite } from '../connector.ts';
import { HubSpotConnector } from './hubspot-connector.ts';

const FAST_RETRY = { retries: 6, baseDelayMs: 20 };

describe('HubSpot write-back against the sandbox', () => {
  const portal = generateSyntheticPortal({ seed: 11, contacts: 300 });
  let sandbox: HubSpotSandbox;
  let store: TestStore;
  let connector: HubSpotConnector;
  let contactIds: string[];
  let dealIds: string[];

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox();
    const loaded = sandbox.loadPortal(portal);
    contactIds = portal.contacts.map((c) => loaded.ids.contacts.get(c.id) as string);
    dealIds = portal.deals.map((d) => loaded.ids.deals.get(d.id) as string);
    store = await openTestPglite();
    await store.db
      .insertInto('tenants')
      .values({
        id: 'wb',
        crm: 'hubspot',
        external_id: String(sandbox.portalId),
        name: 'p',
        auth_mode: 'private_app',
        token_ciphertext: null,
        token_expires_at: null,
        settings: '{}',
      })
      .execute();
    connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: String(sandbox.portalId),
      store: { db: store.db, tenantId: 'wb' },
      retry: FAST_RETRY,
    });
    await connector.install();
  });
  afterAll(async () => {
    await sandbox?.stop();
    await store?.dispose();
  });
  beforeEach(() => sandbox.faults.clear());

  const batchUpdates = (type: string) => sandbox.stats().byPath[`POST /crm/v3/objects/${type}/batch/update`] ?? 0;
  const contactScores = (ids: string[], probability: (i: number) => number, scoredAt: Date): ScoreWrite[] =>
    ids.map((id, i) => ({
      objectType: 'contact',
      externalId: id,
      fields: { likelihoodToClose: probability(i), priority: 'medium', scoredAt },
    }));

  it('re-scoring unchanged records issues no write; changed ones write only what changed', async () => {
    const ids = contactIds.slice(0, 150);
    const first = await connector.writeScores(contactScores(ids, (i) => i / 1000, new Date('2026-11-01T00:00:00Z')));
    expect(first).toMatchObject({ written: 150, failed: [], unchanged: 0 });
    const afterFirst = batchUpdates('contacts');

    // Same scores, scored again a day later: nothing to write.
    const again = await connector.writeScores(contactScores(ids, (i) => i / 1000, new Date('2026-11-02T00:00:00Z')));
    expect(again).toMatchObject({ written: 0, failed: [], unchanged: 150 });
    expect(batchUpdates('contacts')).toBe(afterFirst);

    // Three records move: one request, three inputs.
    const moved = await connector.writeScores(contactScores(ids, (i) => (i < 3 ? 0.9 : i / 1000), new Date('2026-11-03T00:00:00Z')));
    expect(moved).toMatchObject({ written: 3, unchanged: 147 });
    expect(batchUpdates('contacts')).toBe(afterFirst + 1);

    const read = await connector.api.call('standard', (c) =>
      c.crm.contacts.batchApi.read({
        inputs: [{ id: ids[0] as string }, { id: ids[10] as string }],
        properties: ['closewise_likelihood_to_close'],
        propertiesWithHistory: ['closewise_likelihood_to_close', 'closewise_scored_at'],
      }),
    );
    const byId = new Map(read.results.map((r) => [r.id, r]));
    expect(byId.get(ids[0] as string)?.properties.closewise_likelihood_to_close).toBe('90');
    // The unchanged record was written exactly once: one history entry per property.
    expect(byId.get(ids[10] as string)?.propertiesWithHistory?.closewise_likelihood_to_close).toHaveLength(1);
    expect(byId.get(ids[10] as string)?.propertiesWithHistory?.closewise_scored_at).toHaveLength(1);
  });

  it('rides out a 429 storm, 5xx and dropped connections without losing a record', async () => {
    sandbox.faults.set({ rateLimitStorm: 3, serverErrorRate: 0.25, dropRate: 0.05, seed: 7 });
    const writes: ScoreWrite[] = dealIds.map((id, i) => ({
      objectType: 'deal',
      externalId: id,
      fields: { winProbability: (i % 100) / 100, dealScore: 3 },
    }));
    const before = { ...connector.counters };
    const result = await connector.writeScores(writes);
    expect(result.failed).toEqual([]);
    expect(result.written).toBe(dealIds.length);
    expect(connector.counters.rateLimited - before.rateLimited).toBeGreaterThanOrEqual(3);
    expect(connector.counters.retried - before.retried).toBeGreaterThan(3);
    sandbox.faults.clear();
    const sample = dealIds[dealIds.length - 1] as string;
    const read = await connector.api.call('standard', (c) => c.crm.deals.basicApi.getById(sample, ['closewise_win_probability']));
    expect(read.properties.closewise_win_probability).toBe(String((dealIds.length - 1) % 100));
  });

  it('isolates a record HubSpot rejects, writes the rest, and tries the rejected one again next run', async () => {
    const ids = contactIds.slice(200, 240);
    const writes = [...contactScores(ids, () => 0.42, new Date()), ...contactScores(['999999999'], () => 0.42, new Date())];
    const result = await connector.writeScores(writes);
    expect(result.written).toBe(40);
    expect(result.failed.map((f) => f.externalId)).toEqual(['999999999']);
    const before = batchUpdates('contacts');
    const retry = await connector.writeScores(writes);
    expect(retry).toMatchObject({ written: 0, unchanged: 40 });
    expect(retry.failed.map((f) => f.externalId)).toEqual(['999999999']);
    expect(batchUpdates('contacts')).toBe(before + 1);
  });
});

describe('per-portal limiter against a sandbox with a tight rate limit', () => {
  let sandbox: HubSpotSandbox;
  beforeAll(async () => {
    // HubSpot's shape (rolling window per portal) at a tenth of the time scale, so the test stays short.
    sandbox = await startHubSpotSandbox({ limits: { tenSecondly: { max: 11, intervalMs: 1000 }, searchPerSecond: false } });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  const burst = (connector: HubSpotConnector, n: number) =>
    Promise.all(Array.from({ length: n }, () => connector.api.call('standard', (c) => c.crm.contacts.basicApi.getPage(1))));

  it('sends 40 concurrent calls without one 429 when limited to the portal budget', async () => {
    sandbox.resetStats();
    const connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: `${sandbox.portalId}-limited`,
      limits: { standard: { max: 10, intervalMs: 1000 }, search: { max: 4, intervalMs: 1000 } },
      retry: FAST_RETRY,
    });
    await burst(connector, 40);
    expect(sandbox.stats().rateLimited).toBe(0);
    expect(connector.counters.requests).toBe(40);
  });

  it('without a budget the same burst meets 429s, and the retries still complete every call', async () => {
    sandbox.resetStats();
    const connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: `${sandbox.portalId}-unlimited`,
      limits: { standard: { max: 10_000, intervalMs: 1000 }, search: { max: 4, intervalMs: 1000 } },
      // Enough attempts for 40 calls through an 11-per-second window even on a loaded CI machine.
      retry: { retries: 30, baseDelayMs: 20 },
    });
    const results = await burst(connector, 40);
    expect(results).toHaveLength(40);
    expect(sandbox.stats().rateLimited).toBeGreaterThan(0);
    expect(connector.counters.rateLimited).toBe(sandbox.stats().rateLimited);
  });
});
