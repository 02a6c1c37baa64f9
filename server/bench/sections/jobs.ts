// Jobs bench: several pg-boss worker processes sharing one portal's HubSpot budget during a full rescoring
// (the write-back of every record, split into shards, by the production write-back handler), and one
// worker's throughput when no API limit binds (the lean test handler). Workers are real child processes
// (server/src/jobs/test-support/test-worker.ts) on a throwaway PostgreSQL database.

import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import type { PortalData, SeedRecord } from '@closewise/sandboxes/seed/portal-data';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import type { Kysely } from 'kysely';
import { createConnectorRegistry } from '../../src/connectors/registry.ts';
import { InProcessEngine } from '../../src/jobs/in-process-engine.ts';
import { FANOUT_QUEUE, PgBossEngine } from '../../src/jobs/pg-boss-engine.ts';
import { createPostgresRateBudget } from '../../src/jobs/rate-budget.ts';
import { createRealHandlers } from '../../src/jobs/real-handlers.ts';
import { parseJobSettings } from '../../src/jobs/settings.ts';
import { VERSION_PROPERTY } from '../../src/jobs/test-support/rescore-handler.ts';
import { startWorkerProcess, type WorkerProcess } from '../../src/jobs/test-support/worker-process.ts';
import type { Database } from '../../src/store/schema.ts';
import { upsertTenant } from '../../src/tenants/tenant-repository.ts';
import { openTestPostgres } from '../../src/test-support/stores.ts';
import type { BenchContext, BenchSection } from '../section.ts';

const HUBSPOT_LIMIT = { requests: 110, windowMs: 10_000 };
/** What the workers plan to use of it (settings.portalBudget.safety = 0.95). */
const PLANNED = Math.floor(HUBSPOT_LIMIT.requests * 0.95);

function portalWithContacts(count: number): PortalData {
  const at = '2025-01-01T00:00:00.000Z';
  const contacts: SeedRecord[] = Array.from({ length: count }, (_, i) => ({
    id: String(100_000 + i),
    createdAt: at,
    updatedAt: at,
    properties: { email: `bench${i}@example.com` },
    history: {},
  }));
  return {
    name: 'jobs bench',
    now: at,
    owners: [],
    pipelines: [],
    customProperties: [
      { objectType: 'contact', name: VERSION_PROPERTY, label: 'Closewise model version', type: 'string', fieldType: 'text' },
    ],
    companies: [],
    contacts,
    deals: [],
    activities: [],
    associations: [],
  };
}

/** Registers portals in the store with every contact's score pending write-back. */
async function seedStore(db: Kysely<Database>, portals: { tenantId: string; portalId: string; contactIds: string[] }[]): Promise<void> {
  for (const { tenantId, portalId, contactIds } of portals) {
    await db
      .insertInto('tenants')
      .values({
        id: tenantId,
        crm: 'hubspot',
        external_id: portalId,
        name: tenantId,
        auth_mode: 'private_app',
        token_ciphertext: null,
        token_expires_at: null,
        settings: '{}',
      })
      .execute();
    for (let start = 0; start < contactIds.length; start += 1000) {
      await db
        .insertInto('scores')
        .values(
          contactIds.slice(start, start + 1000).map((id) => ({
            tenant_id: tenantId,
            object_type: 'contact' as const,
            external_id: id,
            score_kind: 'likelihood_to_close',
            model_id: null,
            probability: 0.5,
            details: JSON.stringify({ version: 7 }),
            scored_at: new Date(),
            written_back_at: null,
          })),
        )
        .execute();
    }
  }
}

/** A contact's score as the scoring stores it, pending write-back (nothing written yet). */
function pendingContactScore(tenantId: string, externalId: string, i: number) {
  const probability = (i % 997) / 1000;
  const details = {
    kind: 'contact_close_90d',
    probability,
    score: Math.round(probability * 100),
    tier: null,
    trend: 'steady',
    previousProbability: null,
    reasons: [],
    nextActions: [],
    model: null,
    write: { likelihoodToClose: probability, priority: (['very_high', 'high', 'medium', 'low'] as const)[i % 4], trend: 'steady' },
    written: null,
  };
  return {
    tenant_id: tenantId,
    object_type: 'contact' as const,
    external_id: externalId,
    score_kind: 'contact_close_90d',
    model_id: null,
    probability,
    details: JSON.stringify(details),
    scored_at: new Date('2025-01-01T00:00:00.000Z'),
    written_back_at: null,
  };
}

/**
 * A portal installed as the production handlers expect it: a tenant with its (encrypted) private-app token,
 * Closewise's properties in the sandbox, and every contact's score pending write-back.
 */
async function seedInstalledPortal(db: Kysely<Database>, sandbox: HubSpotSandbox, key: Buffer, contactIds: string[]): Promise<string> {
  const tenant = await upsertTenant(db, key, {
    crm: 'hubspot',
    externalId: String(sandbox.portalId),
    name: 'bench portal',
    authMode: 'private_app',
    tokens: { accessToken: sandbox.privateAppToken },
  });
  await (await createConnectorRegistry({ db, encryptionKey: key, hubspot: { basePath: sandbox.url } }).forTenant(tenant)).install();
  for (let start = 0; start < contactIds.length; start += 1000) {
    await db
      .insertInto('scores')
      .values(contactIds.slice(start, start + 1000).map((id, i) => pendingContactScore(tenant.id, id, start + i)))
      .execute();
  }
  return tenant.id;
}

async function waitUntilWritten(db: Kysely<Database>, total: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await db
      .selectFrom('scores')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('written_back_at', 'is not', null)
      .executeTakeFirstOrThrow();
    if (Number(row.n) >= total) return;
    if (Date.now() > deadline) throw new Error(`write-back incomplete after ${timeoutMs} ms: ${row.n}/${total}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Run {
  store: Awaited<ReturnType<typeof openTestPostgres>>;
  sandbox: HubSpotSandbox;
  workers: WorkerProcess[];
  producer: PgBossEngine;
}

async function teardown(run: Partial<Run>): Promise<void> {
  for (const w of run.workers ?? []) {
    w.child.kill('SIGTERM');
    await w.exited;
  }
  await run.producer?.stop({ graceMs: 1000 });
  await run.sandbox?.stop();
  await run.store?.dispose();
}

/**
 * 3 workers running the production write-back handler (jobs/real-handlers.ts → use case → HubSpot connector
 * with its write log), one portal at HubSpot's 110 / 10 s: zero 429s and ≥ 85% of the budget used.
 */
async function sharedPortal(ctx: BenchContext): Promise<void> {
  const records = ctx.quick ? 25_000 : 60_000;
  const key = Buffer.alloc(32, 11);
  const run: Partial<Run> = {};
  try {
    run.store = await openTestPostgres();
    run.sandbox = await startHubSpotSandbox({
      limits: { tenSecondly: { max: HUBSPOT_LIMIT.requests, intervalMs: HUBSPOT_LIMIT.windowMs } },
    });
    const loaded = run.sandbox.loadPortal(portalWithContacts(records));
    const contactIds = [...loaded.ids.contacts.values()];
    const tenantId = await seedInstalledPortal(run.store.db, run.sandbox, key, contactIds);
    const env = {
      DATABASE_URL: run.store.databaseUrl,
      SANDBOX_URL: run.sandbox.url,
      SANDBOX_TOKEN: run.sandbox.privateAppToken,
      CONCURRENCY: '3',
      BUDGET_REQUESTS: String(PLANNED),
      HANDLERS: 'real',
      ENCRYPTION_KEY: key.toString('hex'),
    };
    run.workers = await Promise.all(['w1', 'w2', 'w3'].map((name) => startWorkerProcess(name, env)));
    run.producer = new PgBossEngine({
      databaseUrl: run.store.databaseUrl,
      db: run.store.db,
      handlers: {},
      settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off' } }),
      work: false,
      registerSchedules: false,
    });
    await run.producer.start();
    run.sandbox.resetStats();
    const shards = 6;
    const started = Date.now();
    for (let shard = 0; shard < shards; shard++) await run.producer.enqueue('write-back', { tenantId, shard, shards });
    await waitUntilWritten(run.store.db, records, 10 * 60_000);
    const seconds = (Date.now() - started) / 1000;

    const stats = run.sandbox.stats();
    const updates = stats.byPath['POST /crm/v3/objects/contacts/batch/update'] ?? 0;
    const grants = await run.store.db
      .selectFrom('job_rate_grants')
      .select('granted_at')
      .where('budget_key', '=', `hubspot:${run.sandbox.portalId}`)
      .orderBy('granted_at')
      .execute();
    const times = grants.map((g) => new Date(g.granted_at).getTime());
    const first = times[0] ?? 0;
    const fullWindows = Math.floor(((times.at(-1) ?? first) - first) / HUBSPOT_LIMIT.windowMs);
    // Sustained use: requests in the whole 10-second windows from the first request on, against what
    // HubSpot allows in them (the last, partial window of a run says nothing about the rate).
    const inWindows = times.filter((t) => t < first + fullWindows * HUBSPOT_LIMIT.windowMs).length;
    const use = fullWindows > 0 ? inWindows / (fullWindows * HUBSPOT_LIMIT.requests) : 0;

    ctx.log(
      `  ${records} records, 6 write-back shards, 3 worker processes × 3 slots, production write-back handler, sandbox limit 110 / 10 s, planned ${PLANNED} / 10 s`,
    );
    ctx.record({ name: 'requests to the portal', value: stats.requests });
    ctx.record({ name: 'batch updates (100 records each)', value: updates });
    ctx.record({ name: '429 responses', value: stats.rateLimited, target: '= 0', pass: stats.rateLimited === 0 });
    ctx.record({
      name: 'budget use (whole windows)',
      value: Number((use * 100).toFixed(1)),
      unit: '%',
      target: '≥ 85 %',
      pass: use >= 0.85,
    });
    ctx.record({ name: 'write-back throughput, one portal', value: Math.round(records / seconds), unit: 'records/s' });
    ctx.record({ name: 'full write-back time', value: Number(seconds.toFixed(1)), unit: 's' });
  } finally {
    await teardown(run);
  }
}

/** One worker, many portals each with its own budget, no API limit binding: the worker's own ceiling. */
async function workerCeiling(ctx: BenchContext): Promise<void> {
  const portals = ctx.quick ? 8 : 16;
  const perPortal = 2_000;
  const run: Partial<Run> = {};
  try {
    run.store = await openTestPostgres();
    run.sandbox = await startHubSpotSandbox({ limits: false });
    const loaded = run.sandbox.loadPortal(portalWithContacts(portals * perPortal));
    const ids = [...loaded.ids.contacts.values()];
    // Tenants stand for distinct portals (distinct budget keys) on one sandbox whose limit is off.
    const tenants = Array.from({ length: portals }, (_, p) => ({
      tenantId: `portal-${p}`,
      portalId: String(8_000_000 + p),
      contactIds: ids.slice(p * perPortal, (p + 1) * perPortal),
    }));
    await seedStore(run.store.db, tenants);
    const concurrency = 8;
    const env = {
      DATABASE_URL: run.store.databaseUrl,
      SANDBOX_URL: run.sandbox.url,
      SANDBOX_TOKEN: run.sandbox.privateAppToken,
      CONCURRENCY: String(concurrency),
      BUDGET_REQUESTS: String(PLANNED),
    };
    run.workers = [await startWorkerProcess('solo', env)];
    run.producer = new PgBossEngine({
      databaseUrl: run.store.databaseUrl,
      db: run.store.db,
      handlers: {},
      settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off' } }),
      work: false,
      registerSchedules: false,
    });
    await run.producer.start();
    const started = Date.now();
    for (const t of tenants) await run.producer.enqueue('write-back', { tenantId: t.tenantId, shard: 0, shards: 1 });
    await waitUntilWritten(run.store.db, portals * perPortal, 10 * 60_000);
    const seconds = (Date.now() - started) / 1000;
    const requests = run.sandbox.stats().requests;
    ctx.log(
      `  ${portals} portals × ${perPortal} records, 1 worker process with ${concurrency} slots, API limit off (sandbox in this process)`,
    );
    ctx.record({ name: 'one worker, write-back ceiling', value: Math.round((portals * perPortal) / seconds), unit: 'records/s' });
    ctx.record({ name: 'one worker, request ceiling', value: Number((requests / seconds).toFixed(1)), unit: 'requests/s' });
    const grants = await run.store.db
      .selectFrom('job_rate_grants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    ctx.record({ name: 'budget grants (one per request)', value: Number(grants.n) });
  } finally {
    await teardown(run);
  }
}

/**
 * The production handlers on a synthetic portal, one in-process worker: how fast a worker scores (CPU) and
 * syncs when the API does not bind. API-bound times follow from the budget (see docs/capacity-model.md).
 */
async function realPipeline(ctx: BenchContext): Promise<void> {
  const contacts = ctx.quick ? 1_000 : 4_000;
  const key = Buffer.alloc(32, 9);
  const run: Partial<Run> & { engine?: InProcessEngine } = {};
  try {
    run.store = await openTestPostgres();
    run.sandbox = await startHubSpotSandbox({ limits: false });
    const data = generateSyntheticPortal({ seed: 5, contacts });
    run.sandbox.loadPortal(data);
    const tenant = await upsertTenant(run.store.db, key, {
      crm: 'hubspot',
      externalId: String(run.sandbox.portalId),
      name: 'bench',
      authMode: 'private_app',
      tokens: { accessToken: run.sandbox.privateAppToken },
    });
    await (
      await createConnectorRegistry({ db: run.store.db, encryptionKey: key, hubspot: { basePath: run.sandbox.url } }).forTenant(tenant)
    ).install();
    run.sandbox.resetStats();
    run.engine = new InProcessEngine({
      db: run.store.db,
      handlers: createRealHandlers({
        db: run.store.db,
        encryptionKey: key,
        hubSpotBasePath: run.sandbox.url,
        budget: createPostgresRateBudget(run.store.db, { requests: 1_000_000, windowMs: 10_000 }),
      }),
      settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off' }, concurrency: 1 }),
      worker: 'bench',
    });
    await run.engine.start();
    const seconds = async (type: string, count: number) => {
      for (;;) {
        const runs = await (run.store as { db: Kysely<Database> }).db
          .selectFrom('job_runs')
          .selectAll()
          .where('job_type', '=', type)
          .execute();
        const dead = runs.find((r) => r.outcome === 'dead_letter');
        if (dead) throw new Error(`${type} failed: ${dead.error}`);
        const done = runs.filter((r) => r.outcome === 'completed');
        if (done.length >= count) return done.reduce((sum, r) => sum + ((r.ended_at?.getTime() ?? 0) - r.started_at.getTime()) / 1000, 0);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await run.engine.enqueue('sync', { tenantId: tenant.id });
    const syncSeconds = await seconds('sync', 1);
    const syncRequests = run.sandbox.stats().requests;
    const records = data.contacts.length + data.deals.length + data.companies.length;
    await run.engine.enqueue('rescore', { tenantId: tenant.id, now: data.now, writeBackShards: 1 });
    const rescoreSeconds = await seconds('rescore', 1);
    const writeSeconds = await seconds('write-back', 1);
    const scored = await run.store.db
      .selectFrom('scores')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenant.id)
      .executeTakeFirstOrThrow();
    const written = await run.store.db
      .selectFrom('scores')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenant.id)
      .where('written_back_at', 'is not', null)
      .executeTakeFirstOrThrow();
    ctx.log(
      `  synthetic portal: ${data.contacts.length} contacts, ${data.deals.length} deals, ${data.companies.length} companies, ${data.activities.length} activities; 1 slot, API limit off`,
    );
    ctx.record({ name: 'sync: requests per CRM record', value: Number((syncRequests / records).toFixed(3)) });
    ctx.record({ name: 'sync time, API limit off', value: Number(syncSeconds.toFixed(1)), unit: 's' });
    ctx.record({ name: 'full rescoring (scoring only), one slot', value: Math.round(Number(scored.n) / rescoreSeconds), unit: 'scores/s' });
    ctx.record({ name: 'write-back of every score, API limit off', value: Number(writeSeconds.toFixed(1)), unit: 's' });
    ctx.record({
      name: 'write-back through the connector, one slot',
      value: Math.round(Number(written.n) / writeSeconds),
      unit: 'records/s',
    });
  } finally {
    await run.engine?.stop({ graceMs: 1000 });
    await teardown(run);
  }
}

/**
 * Three engines register the same every-minute schedule; each occurrence must become one fan-out job and
 * one sync, not three. Waits for two occurrences (up to ~2 minutes), so it runs only without --quick.
 */
async function scheduleOnce(ctx: BenchContext): Promise<void> {
  const store = await openTestPostgres();
  const engines: PgBossEngine[] = [];
  const syncs: string[] = [];
  try {
    for (const worker of ['a', 'b', 'c']) {
      const engine = new PgBossEngine({
        databaseUrl: store.databaseUrl,
        db: store.db,
        worker,
        handlers: {
          sync: async ({ tenantId }) => {
            syncs.push(`${worker}:${tenantId}`);
          },
        },
        settings: parseJobSettings({ schedules: { sync: '* * * * *', rescore: 'off', retrain: 'off' } }),
        listTenants: async () => ['p1'],
        tuning: { pollingIntervalSeconds: 0.5, superviseIntervalSeconds: 2 },
      });
      await engine.start();
      engines.push(engine);
    }
    const first = engines[0] as PgBossEngine;
    for (let i = 0; i < 300; i++) {
      const ticks = await first.boss.findJobs(FANOUT_QUEUE, { limit: 100 });
      if (ticks.length >= 2 && syncs.length >= 2) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 3000));
    const ticks = await first.boss.findJobs(FANOUT_QUEUE, { limit: 100 });
    const minutes = new Set(ticks.map((t) => t.createdOn.toISOString().slice(0, 16))).size;
    ctx.log(`  3 engines, schedule '* * * * *': ${ticks.length} schedule jobs over ${minutes} minute(s), syncs: ${syncs.join(', ')}`);
    ctx.record({
      name: 'schedule jobs per occurrence (3 workers)',
      value: minutes ? ticks.length / minutes : 0,
      target: '= 1',
      pass: minutes >= 2 && ticks.length === minutes,
    });
    ctx.record({
      name: 'syncs per occurrence and portal (3 workers)',
      value: minutes ? syncs.length / minutes : 0,
      target: '= 1',
      pass: minutes >= 2 && syncs.length === minutes,
    });
  } finally {
    for (const engine of engines) await engine.stop({ graceMs: 1000 });
    await store.dispose();
  }
}

export const section: BenchSection = {
  name: 'jobs',
  description: 'pg-boss workers sharing a portal budget (429s, budget use) and one worker’s throughput',
  async run(ctx) {
    await sharedPortal(ctx);
    await workerCeiling(ctx);
    await realPipeline(ctx);
    if (!ctx.quick) await scheduleOnce(ctx);
  },
};
