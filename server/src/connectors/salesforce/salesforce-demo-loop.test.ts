import { randomBytes } from 'node:crypto';
import { type SalesforceDemoOrg, startSalesforceDemoOrg } from '@closewise/sandboxes/salesforce/demo-org';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingScoreWrites, scoreTenant, trainTenantModels } from '../../scoring/index.ts';
import { createStoreSyncSink } from '../../store/sync-sink.ts';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import { installSalesforceTenant } from './install-tenant.ts';
import { salesforceConnectorForTenant } from './tenant-connector.ts';

/**
 * The whole loop on the Salesforce side, as `closewise demo --crm salesforce` runs it: OAuth, install check,
 * sync into the store, train, score, write back — then every open Opportunity and every Lead/Contact that
 * Salesforce lets us update carries its Closewise fields.
 */
describe('Salesforce demo loop (sandbox org, real store, real scoring core)', () => {
  let org: SalesforceDemoOrg;
  let store: TestStore;

  beforeAll(async () => {
    org = await startSalesforceDemoOrg(5, { contacts: 800 });
    store = await openTestPglite();
  }, 120_000);
  afterAll(async () => {
    await org?.stop();
    await store?.dispose();
  });

  it('syncs, scores and fills the score fields', { timeout: 300_000 }, async () => {
    const key = randomBytes(32);
    const tenant = await installSalesforceTenant(store.db, key, {
      oauth: org.oauth,
      code: await org.authorizationCode(),
      name: org.data.name,
      apiVersion: org.sandbox.apiVersion,
    });
    // The concrete connector (not through the registry): this test reads its call count.
    const connector = salesforceConnectorForTenant({
      db: store.db,
      encryptionKey: key,
      tenant,
      oauth: org.oauth,
      apiVersion: org.sandbox.apiVersion,
    });
    expect(tenant.externalId).toMatch(/^00D/);
    await connector.install();
    const now = new Date(org.data.now);
    const sync = await connector.sync(createStoreSyncSink(store.db, tenant.id));
    expect(sync.status.state).toBe('complete');
    await trainTenantModels(store.db, tenant.id, { now, seed: 5 });
    await scoreTenant(store.db, tenant.id, { now });
    const writes = await pendingScoreWrites(store.db, tenant.id);
    const result = await connector.writeScores(writes);
    expect(result.failed).toEqual([]);

    const openOpps = org.sandbox.records('Opportunity').filter((o) => o.IsClosed === false);
    const unscoredOpps = openOpps.filter((o) => o.Closewise_Win_Probability__c === undefined || o.Closewise_Scored_At__c === undefined);
    expect(openOpps.length).toBeGreaterThan(0);
    expect(unscoredOpps.map((o) => o.Id)).toEqual([]);
    const people = [...org.sandbox.records('Contact'), ...org.sandbox.records('Lead').filter((l) => l.IsConverted === false)];
    const unscoredPeople = people.filter((p) => p.Closewise_Likelihood_To_Close__c === undefined);
    expect(unscoredPeople.map((p) => `${p.Id}`)).toEqual([]);
    console.info(
      `demo loop: ${openOpps.length} open opportunities and ${people.length} people scored; ${result.written} written, ${result.unchanged} unchanged, ${connector.calls} API calls`,
    );
  });
});
