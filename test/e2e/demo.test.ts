import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectDemoFacts } from '@closewise/server/demo/facts';
import { type DemoRun, runDemo } from '@closewise/server/demo/run-demo';
import { formatSummary } from '@closewise/server/demo/summary';
import { openTestPglite, type TestStore } from '@closewise/server/test-support/stores';
import { Client } from '@hubspot/api-client';
import { afterAll, describe, expect, it } from 'vitest';

// The CLI as the server package ships it (resolved by name: test/ reaches server files only through its exports).
const BIN = createRequire(import.meta.url).resolve('@closewise/server/bin/closewise.js');

/** Every record of a type, read back from the sandbox portal through the official SDK. */
async function readAll(client: Client, objectType: string, properties: string[]) {
  const all: { id: string; properties: Record<string, string | null> }[] = [];
  let after: string | undefined;
  do {
    const page = await client.crm.objects.basicApi.getPage(objectType, 100, after, properties);
    all.push(...page.results);
    after = page.paging?.next?.after;
  } while (after);
  return all;
}

describe('npm run demo, end to end', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'closewise-demo-'));
  let store: TestStore | undefined;
  let run: DemoRun | undefined;
  afterAll(async () => {
    await run?.portal.stop();
    await store?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes a score on every open deal and every contact of the sandbox, and prints the same summary for the same seed', async () => {
    const cli = spawnSync(process.execPath, [BIN, 'demo', '--seed', '7', '--data-dir', dataDir], { encoding: 'utf8', timeout: 280_000 });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('Top 10 open deals by win probability');

    store = await openTestPglite();
    run = await runDemo({ db: store.db, encryptionKey: Buffer.alloc(32, 7), seed: 7 });
    const summary = formatSummary(await collectDemoFacts(store.db, run, { seed: 7, store: store.engine }));
    expect(summary).toBe(cli.stdout);

    // The demo has just used the portal's 110-per-10-s budget; the SDK's retry waits out HubSpot's rolling window.
    const client = new Client({ accessToken: run.portal.accessToken, basePath: run.portal.url, numberOfApiCallRetries: 6 });
    const stages = await client.crm.pipelines.pipelinesApi.getAll('deals');
    const closedStages = new Set(stages.results.flatMap((p) => p.stages.filter((s) => s.metadata?.isClosed === 'true').map((s) => s.id)));
    const openDeals = (await readAll(client, 'deals', ['dealstage', 'closewise_win_probability'])).filter(
      (d) => !closedStages.has(d.properties.dealstage ?? ''),
    );
    const contacts = await readAll(client, 'contacts', ['closewise_likelihood_to_close']);
    expect(openDeals.length).toBeGreaterThan(0);
    expect(contacts.length).toBe(run.portal.data.contacts.length);
    for (const deal of openDeals) {
      const value = Number(deal.properties.closewise_win_probability);
      expect(deal.properties.closewise_win_probability, `deal ${deal.id}`).toBeTruthy();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
    for (const contact of contacts) {
      const value = Number(contact.properties.closewise_likelihood_to_close);
      expect(contact.properties.closewise_likelihood_to_close, `contact ${contact.id}`).toBeTruthy();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
  }, 400_000);

  it('runs against the Salesforce sandbox with --crm salesforce', () => {
    const cli = spawnSync(process.execPath, [BIN, 'demo', '--crm', 'salesforce', '--seed', '3', '--data-dir', dataDir], {
      encoding: 'utf8',
      timeout: 280_000,
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('Salesforce sandbox');
    expect(cli.stdout).toMatch(/Closewise_Win_Probability__c on [1-9][\d,]* open deals/);
    expect(cli.stdout).toMatch(/; 0 failed/);
  }, 300_000);
});
