import { tinyPortal } from '@closewise/sandboxes/salesforce/fixtures/tiny-portal';
import { type SalesforceSandbox, startSalesforceSandbox } from '@closewise/sandboxes/salesforce/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreWrite } from '../connector.ts';
import { connectToSandbox, memorySink } from './test-support/sandbox-connector.ts';

/**
 * The large-org path: 50,000 opportunities read through Bulk API 2.0 (Salesforce's default results page,
 * 50,000 rows, split here into 10,000-row pages to exercise the locator chain), then a write-back of 50,000
 * scores in collections of 200.
 */
const DEALS = 50_000;

describe('SalesforceConnector with 50,000 opportunities', () => {
  let sandbox: SalesforceSandbox;

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({ bulkPageSize: 10_000 });
    sandbox.loadPortal(tinyPortal({ deals: DEALS }));
  }, 120_000);
  afterAll(async () => {
    await sandbox.stop();
  });

  it('full sync through Bulk 2.0, then change-only write-back', { timeout: 300_000 }, async () => {
    const { connector } = await connectToSandbox(sandbox, { bulkThreshold: 10_000, bulkPageSize: 10_000 });
    const sink = memorySink();
    const started = performance.now();
    const result = await connector.sync(sink);
    const syncMs = performance.now() - started;
    expect(result.status.state).toBe('complete');
    expect(result.counts.deal).toBe(DEALS);
    expect([...sink.records_.keys()].filter((k) => k.startsWith('deal:'))).toHaveLength(DEALS);
    const stats = sandbox.stats();
    expect(stats.bulkJobs).toBeGreaterThanOrEqual(2);
    expect(stats.byRoute['bulk2/results']).toBeGreaterThanOrEqual(5 + 10);
    const withHistory = [...sink.records_.values()].filter((r) => r.objectType === 'deal' && r.history.some((h) => h.property === 'stage'));
    expect(withHistory).toHaveLength(DEALS);

    const writes: ScoreWrite[] = sandbox.records('Opportunity').map((o, i) => ({
      objectType: 'deal',
      externalId: String(o.Id),
      fields: { winProbability: (i % 97) / 97, dealScore: 2, scoredAt: new Date('2026-11-02T00:00:00Z') },
    }));
    const writeStarted = performance.now();
    const written = await connector.writeScores(writes);
    const writeMs = performance.now() - writeStarted;
    expect(written).toMatchObject({ written: DEALS, failed: [], calls: DEALS / 200 });
    console.info(
      `50k opportunities: sync ${Math.round(syncMs)} ms with ${stats.apiUsed} API calls; write-back ${Math.round(writeMs)} ms with ${sandbox.stats().apiUsed - stats.apiUsed} calls`,
    );
  });
});
