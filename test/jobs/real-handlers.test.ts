import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { createConnectorRegistry } from '@closewise/server/connectors/registry';
import { InProcessEngine } from '@closewise/server/jobs/in-process-engine';
import { createPostgresRateBudget } from '@closewise/server/jobs/rate-budget';
import { createRealHandlers } from '@closewise/server/jobs/real-handlers';
import { parseJobSettings } from '@closewise/server/jobs/settings';
import { pendingScoreWrites } from '@closewise/server/scoring/index';
import { type Tenant, upsertTenant } from '@closewise/server/tenants/tenant-repository';
import { openTestPostgres } from '@closewise/server/test-support/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const key = Buffer.alloc(32, 7);

/**
 * The production handlers behind the embedded engine, end to end on a small synthetic portal in the
 * HubSpot sandbox (HubSpot's limits on): sync → full rescoring → write-back shards, every request through
 * the portal's shared budget.
 */
describe('real job handlers against the HubSpot sandbox', () => {
  let store: Awaited<ReturnType<typeof openTestPostgres>>;
  let sandbox: HubSpotSandbox;
  let tenant: Tenant;
  let data: PortalData;
  let engine: InProcessEngine;

  beforeAll(async () => {
    store = await openTestPostgres();
    sandbox = await startHubSpotSandbox();
    data = generateSyntheticPortal({ seed: 3, contacts: 120 });
    sandbox.loadPortal(data);
    tenant = await upsertTenant(store.db, key, {
      crm: 'hubspot',
      externalId: String(sandbox.portalId),
      name: 'Jobs portal',
      authMode: 'private_app',
      tokens: { accessToken: sandbox.privateAppToken },
    });
    // Installing the app (its properties) is the connector's job, done once before any job runs.
    await (
      await createConnectorRegistry({ db: store.db, encryptionKey: key, hubspot: { basePath: sandbox.url } }).forTenant(tenant)
    ).install();
    sandbox.resetStats();
    engine = new InProcessEngine({
      db: store.db,
      handlers: createRealHandlers({
        db: store.db,
        encryptionKey: key,
        hubSpotBasePath: sandbox.url,
        budget: createPostgresRateBudget(store.db, { requests: 104, windowMs: 10_000 }),
      }),
      settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off' }, concurrency: 2 }),
      worker: 'embedded',
    });
    await engine.start();
  }, 120_000);

  afterAll(async () => {
    await engine?.stop({ graceMs: 1000 });
    await sandbox?.stop();
    await store?.dispose();
  });

  async function completed(type: string, count: number): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const runs = await store.db.selectFrom('job_runs').select(['outcome', 'error']).where('job_type', '=', type).execute();
      const failed = runs.find((r) => r.outcome === 'dead_letter');
      if (failed) throw new Error(`${type} dead-lettered: ${failed.error}`);
      if (runs.filter((r) => r.outcome === 'completed').length >= count) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${type} did not complete`);
  }

  it('syncs, rescores and writes back through the shared budget with no 429', async () => {
    await engine.enqueue('sync', { tenantId: tenant.id });
    await completed('sync', 1);
    const contacts = await store.db
      .selectFrom('crm_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenant.id)
      .where('object_type', '=', 'contact')
      .executeTakeFirstOrThrow();
    expect(Number(contacts.n)).toBe(data.contacts.length);

    await engine.enqueue('rescore', { tenantId: tenant.id, now: data.now, writeBackShards: 2 });
    await completed('rescore', 1);
    await completed('write-back', 2);
    expect(await pendingScoreWrites(store.db, tenant.id)).toEqual([]);

    const stats = sandbox.stats();
    expect(stats.rateLimited).toBe(0);
    expect(stats.byPath['POST /crm/v3/objects/contacts/batch/update']).toBeGreaterThan(0);
    // Every request the jobs sent was granted by the portal's budget first.
    const grants = await store.db
      .selectFrom('job_rate_grants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('budget_key', '=', `hubspot-private-app:${sandbox.portalId}`)
      .executeTakeFirstOrThrow();
    expect(Number(grants.n)).toBe(stats.requests);
  }, 180_000);
});
