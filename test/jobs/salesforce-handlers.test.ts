import { randomBytes } from 'node:crypto';
import { type SalesforceDemoOrg, startSalesforceDemoOrg } from '@closewise/sandboxes/salesforce/demo-org';
import { loadConfig } from '@closewise/server/config/config';
import { installSalesforceTenant } from '@closewise/server/connectors/salesforce/install-tenant';
import { InProcessEngine } from '@closewise/server/jobs/in-process-engine';
import { createMemoryRateBudget } from '@closewise/server/jobs/rate-budget';
import { createRuntimeHandlers } from '@closewise/server/jobs/real-handlers';
import type { JobContext } from '@closewise/server/jobs/registry';
import { parseJobSettings } from '@closewise/server/jobs/settings';
import { silentLogger } from '@closewise/server/logging/logger';
import { pendingScoreWrites } from '@closewise/server/scoring/index';
import type { CrmKind } from '@closewise/server/store/schema';
import { type Tenant, upsertTenant } from '@closewise/server/tenants/tenant-repository';
import { openTestPglite, type TestStore } from '@closewise/server/test-support/stores';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The production handlers, built from the runtime's config as `closewise serve` / `closewise worker` build
 * them, for an installed Salesforce org in the sandbox: sync → retrain → rescore → write-back through the
 * in-process engine ends with every open Opportunity carrying its Closewise fields.
 */
describe('real job handlers for a Salesforce tenant (sandbox org, real store)', () => {
  const key = randomBytes(32);
  let org: SalesforceDemoOrg;
  let store: TestStore;
  let tenant: Tenant;
  let engine: InProcessEngine;
  let handlers: ReturnType<typeof createRuntimeHandlers>;
  // The handlers' clock: a daily-limit pause lasts until Salesforce's window resets, so the test moves it there.
  let clockOffsetMs = 0;
  const clock = { now: () => Date.now() + clockOffsetMs };

  beforeAll(async () => {
    org = await startSalesforceDemoOrg(5, { contacts: 300 });
    store = await openTestPglite();
    tenant = await installSalesforceTenant(store.db, key, {
      oauth: org.oauth,
      code: await org.authorizationCode(),
      name: org.data.name,
      apiVersion: org.sandbox.apiVersion,
    });
    // The settings `closewise serve` reads: the handlers must take the org's connected app from them.
    const config = loadConfig({
      CLOSEWISE_ENCRYPTION_KEY: key.toString('hex'),
      SALESFORCE_LOGIN_URL: org.oauth.loginUrl,
      SALESFORCE_CLIENT_ID: org.oauth.clientId,
      SALESFORCE_CLIENT_SECRET: org.oauth.clientSecret,
      SALESFORCE_API_VERSION: org.sandbox.apiVersion,
      HUBSPOT_BASE_PATH: 'http://127.0.0.1:9',
    });
    handlers = createRuntimeHandlers(
      { config, logger: silentLogger, store, close: async () => {} },
      createMemoryRateBudget({ requests: 100, windowMs: 10_000 }),
      clock,
    );
    engine = new InProcessEngine({
      db: store.db,
      handlers,
      settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off' }, concurrency: 2 }),
      worker: 'embedded',
      retryDelayMs: 20,
    });
    await engine.start();
  }, 120_000);

  afterAll(async () => {
    await engine?.stop({ graceMs: 1000 });
    await org?.stop();
    await store?.dispose();
  });

  async function completed(type: string, count: number): Promise<void> {
    for (let i = 0; i < 1200; i++) {
      const runs = await store.db.selectFrom('job_runs').select(['outcome', 'error']).where('job_type', '=', type).execute();
      const failed = runs.find((r) => r.outcome === 'dead_letter' || r.outcome === 'failed');
      if (failed) throw new Error(`${type} ${failed.outcome}: ${failed.error}`);
      if (runs.filter((r) => r.outcome === 'completed').length >= count) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${type} did not complete`);
  }

  it('syncs, retrains, rescores and writes the score fields back to open Opportunities', { timeout: 300_000 }, async () => {
    // The install's access token is dead: the jobs must refresh it with the configured connected app.
    org.sandbox.expireAccessTokens();
    const tokensBefore = (
      await store.db.selectFrom('tenants').select('token_ciphertext').where('id', '=', tenant.id).executeTakeFirstOrThrow()
    ).token_ciphertext;

    await engine.enqueue('sync', { tenantId: tenant.id });
    await completed('sync', 1);
    const deals = await store.db
      .selectFrom('crm_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenant.id)
      .where('object_type', '=', 'deal')
      .executeTakeFirstOrThrow();
    expect(Number(deals.n)).toBe(org.sandbox.records('Opportunity').length);
    // The refreshed access token went back into the tenant row, and the cursors into sync_state.
    const tokensAfter = (
      await store.db.selectFrom('tenants').select('token_ciphertext').where('id', '=', tenant.id).executeTakeFirstOrThrow()
    ).token_ciphertext;
    expect(tokensAfter).not.toBe(tokensBefore);
    const cursors = await store.db.selectFrom('sync_state').select('object_type').where('tenant_id', '=', tenant.id).execute();
    expect(cursors.map((c) => c.object_type)).toContain('cursor:Opportunity');

    await engine.enqueue('retrain', { tenantId: tenant.id, now: org.data.now });
    await completed('retrain', 1);
    await engine.enqueue('rescore', { tenantId: tenant.id, now: org.data.now, writeBackShards: 2 });
    await completed('rescore', 1);
    await completed('write-back', 2);
    expect(await pendingScoreWrites(store.db, tenant.id)).toEqual([]);

    const openOpps = org.sandbox.records('Opportunity').filter((o) => o.IsClosed === false);
    expect(openOpps.length).toBeGreaterThan(0);
    const unscored = openOpps.filter((o) => o.Closewise_Win_Probability__c === undefined || o.Closewise_Scored_At__c === undefined);
    expect(unscored.map((o) => o.Id)).toEqual([]);

    expect(org.sandbox.stats().tokenRefreshes).toBeGreaterThanOrEqual(1);

    // A second sync is incremental: it starts from the stored cursors, so a closed deal dropped from the
    // store (unchanged in Salesforce since; the write-back touched open ones only) is not read again, while a
    // deal changed in Salesforce is.
    const dropped = org.sandbox.records('Opportunity').find((o) => o.IsClosed === true && o.Closewise_Scored_At__c === undefined);
    const changed = openOpps[0];
    expect(dropped).toBeDefined();
    await store.db.deleteFrom('crm_records').where('tenant_id', '=', tenant.id).where('external_id', '=', String(dropped?.Id)).execute();
    org.sandbox.editRecord(String(changed?.Id), { Name: 'Renamed in Salesforce' });
    await engine.enqueue('sync', { tenantId: tenant.id });
    await completed('sync', 2);
    const synced = await store.db
      .selectFrom('crm_records')
      .select(['external_id', 'properties'])
      .where('tenant_id', '=', tenant.id)
      .where('external_id', 'in', [String(dropped?.Id), String(changed?.Id)])
      .execute();
    expect(synced.map((r) => r.external_id)).toEqual([String(changed?.Id)]);
    expect(JSON.stringify(synced[0]?.properties)).toContain('Renamed in Salesforce');
  });

  it("stops on the org's daily API budget: the sync completes with its cursors, write-backs stay pending", {
    timeout: 120_000,
  }, async () => {
    const context = (type: JobContext['type']): JobContext => ({
      jobId: `direct-${type}`,
      type,
      attempt: 0,
      signal: new AbortController().signal,
      logger: silentLogger,
      enqueue: async () => null,
    });
    const opp = org.sandbox.records('Opportunity').find((o) => o.IsClosed === false);
    org.sandbox.editRecord(String(opp?.Id), { Name: 'Edited while over budget' });
    // Every score must be written again (as after a rescoring that changed them all).
    await sql`update scores set details = jsonb_set(details, '{written}', 'null'::jsonb) where tenant_id = ${tenant.id}`.execute(store.db);
    const pending = (await pendingScoreWrites(store.db, tenant.id)).length;
    expect(pending).toBeGreaterThan(0);
    const cursorsBefore = await store.db.selectFrom('sync_state').selectAll().where('tenant_id', '=', tenant.id).execute();

    // The org has spent its allowance for the day (10% is kept in reserve for users and other integrations).
    org.sandbox.setDailyLimit(org.sandbox.stats().apiUsed + 1);
    await handlers.sync?.({ tenantId: tenant.id }, context('sync'));
    const cursorsAfter = await store.db.selectFrom('sync_state').selectAll().where('tenant_id', '=', tenant.id).execute();
    expect(cursorsAfter.map((c) => [c.object_type, c.cursor])).toEqual(cursorsBefore.map((c) => [c.object_type, c.cursor]));
    await expect(handlers['write-back']?.({ tenantId: tenant.id, shard: 0, shards: 1 }, context('write-back'))).rejects.toThrow(
      /Salesforce daily API budget reached/,
    );
    expect((await pendingScoreWrites(store.db, tenant.id)).length).toBe(pending);

    // The stop is recorded: until the window resets a sync does not call Salesforce at all.
    const pause = await store.db.selectFrom('crm_api_pauses').selectAll().where('tenant_id', '=', tenant.id).executeTakeFirstOrThrow();
    expect(new Date(pause.resume_at).getTime()).toBeGreaterThan(Date.now());
    const usedDuringPause = org.sandbox.stats().apiUsed;
    await handlers.sync?.({ tenantId: tenant.id }, context('sync'));
    expect(org.sandbox.stats().apiUsed).toBe(usedDuringPause);

    // The next window: the same handlers pick up where they stopped.
    org.sandbox.resetDailyUsage();
    org.sandbox.setDailyLimit(100_000);
    clockOffsetMs = new Date(pause.resume_at).getTime() - Date.now() + 1_000;
    await handlers.sync?.({ tenantId: tenant.id }, context('sync'));
    expect(await store.db.selectFrom('crm_api_pauses').selectAll().where('tenant_id', '=', tenant.id).execute()).toEqual([]);
    const edited = await store.db
      .selectFrom('crm_records')
      .select('properties')
      .where('tenant_id', '=', tenant.id)
      .where('external_id', '=', String(opp?.Id))
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(edited.properties)).toContain('Edited while over budget');
    await handlers['write-back']?.({ tenantId: tenant.id, shard: 0, shards: 1 }, context('write-back'));
    expect(await pendingScoreWrites(store.db, tenant.id)).toEqual([]);
  });

  it('fails a tenant of an unknown crm with an error naming it', async () => {
    const other = await upsertTenant(store.db, key, {
      crm: 'pipedrive' as CrmKind,
      externalId: 'pd-1',
      name: 'Unknown CRM',
      authMode: 'oauth',
      tokens: { accessToken: 'x' },
    });
    const context: JobContext = {
      jobId: 'j1',
      type: 'sync',
      attempt: 0,
      signal: new AbortController().signal,
      logger: silentLogger,
      enqueue: async () => null,
    };
    await expect(handlers.sync?.({ tenantId: other.id }, context)).rejects.toThrow(
      `tenant ${other.id} has crm 'pipedrive', which has no connector`,
    );
  });
});
