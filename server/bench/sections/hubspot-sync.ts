// HubSpot pipeline bench: a synthetic portal (100,000 contacts; 5,000 with --quick) in the sandbox at HubSpot's
// marketplace-app limits (110 requests / 10 s per portal, search 5 / s), taken through what an install does:
// full sync into PostgreSQL, training the portal's models, scoring every record, and writing the scores back
// through the connector with its default limiter. For the two API phases it prints the bound the rate limit
// sets (requests allowed per second × records per request), the measured throughput and their ratio; for the
// whole pipeline, the time the rate limit alone would need for all its requests against the time it took,
// training and scoring included (target ≥ 85 %); and the 429s the sandbox answered (target 0). Last, the
// webhook endpoint's acknowledgement latency while it queues signed batches durably (target < 1 s).

import { computeSignatureV3 } from '@closewise/contract/hubspot-signature';
import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import type { Kysely } from 'kysely';
import { HubSpotConnector } from '../../src/connectors/hubspot/hubspot-connector.ts';
import { HUBSPOT_LIMITS } from '../../src/connectors/hubspot/rate-limiter.ts';
import { buildApp } from '../../src/http/app.ts';
import { hubSpotWebhooksRouter } from '../../src/http/hubspot-webhooks/router.ts';
import { listen } from '../../src/http/listen.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { markScoresWritten, pendingScoreWrites, scoreTenant, trainTenantModels } from '../../src/scoring/index.ts';
import type { Database } from '../../src/store/schema.ts';
import { createStoreSyncSink } from '../../src/store/sync-sink.ts';
import { openTestPostgres, type TestStore } from '../../src/test-support/stores.ts';
import type { BenchContext, BenchSection } from '../section.ts';

const TENANT = 'bench-hubspot';
/** HubSpot's allowance for the calls sync and write-back make (search is not used by a full sync). */
const ALLOWED_PER_SECOND = (HUBSPOT_LIMITS.standard.max * 1000) / HUBSPOT_LIMITS.standard.intervalMs;
const TARGET_RATIO = 0.85;

interface PhaseMeasure {
  records: number;
  requests: number;
  seconds: number;
}

function reportPhase(ctx: BenchContext, phase: string, m: PhaseMeasure): void {
  const perRequest = m.records / m.requests;
  const bound = ALLOWED_PER_SECOND * perRequest;
  const measured = m.records / m.seconds;
  const ratio = measured / bound;
  ctx.log(
    `  ${phase}: ${m.records} records in ${m.requests} requests (${perRequest.toFixed(1)} records/request) in ${m.seconds.toFixed(1)} s`,
  );
  ctx.record({
    name: `${phase}: rate-limit bound (${ALLOWED_PER_SECOND} requests/s × ${perRequest.toFixed(1)} records/request)`,
    value: Math.round(bound),
    unit: 'records/s',
  });
  ctx.record({ name: `${phase}: measured throughput`, value: Math.round(measured), unit: 'records/s' });
  ctx.record({
    name: `${phase}: throughput / bound`,
    value: Number((ratio * 100).toFixed(1)),
    unit: '%',
    target: `≥ ${TARGET_RATIO * 100} %`,
    pass: ratio >= TARGET_RATIO,
  });
}

const WEBHOOK_SECRET = 'bench-webhook-secret';
const WEBHOOK_APP_ID = '4400001';
const WEBHOOK_CONCURRENCY = 10;
const EVENTS_PER_REQUEST = 100;

async function measureWebhookAcks(ctx: BenchContext, options: { db: Kysely<Database>; portalId: string; requests: number }): Promise<void> {
  const router = hubSpotWebhooksRouter({ db: options.db, logger: silentLogger, clientSecret: WEBHOOK_SECRET, appId: WEBHOOK_APP_ID });
  const server = await listen(
    buildApp({ db: options.db, logger: silentLogger, routers: [{ path: '/webhooks/hubspot', router }] }),
    '127.0.0.1',
    0,
  );
  const url = `${server.url}/webhooks/hubspot`;
  const latencies: number[] = [];
  let failures = 0;
  try {
    let next = 0;
    const worker = async () => {
      while (next < options.requests) {
        const n = next++;
        const body = JSON.stringify(
          Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => ({
            eventId: n * EVENTS_PER_REQUEST + i,
            subscriptionId: 1,
            portalId: Number(options.portalId),
            appId: Number(WEBHOOK_APP_ID),
            occurredAt: Date.now(),
            subscriptionType: 'object.propertyChange',
            attemptNumber: 0,
            objectId: 1_000_000 + ((n * EVENTS_PER_REQUEST + i) % 50_000),
            objectTypeId: '0-1',
            propertyName: 'lifecyclestage',
            propertyValue: 'customer',
            changeSource: 'CRM_UI',
            sourceId: 'userId:1',
          })),
        );
        const timestamp = String(Date.now());
        const signature = computeSignatureV3(WEBHOOK_SECRET, { method: 'POST', uri: url, rawBody: body, timestamp });
        const started = performance.now();
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': timestamp, 'x-hubspot-signature-v3': signature },
          body,
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        if (response.status !== 200) failures++;
      }
    };
    await Promise.all(Array.from({ length: WEBHOOK_CONCURRENCY }, worker));
  } finally {
    await server.close();
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  ctx.log(
    `  webhooks: ${options.requests} signed batches of ${EVENTS_PER_REQUEST} events, ${WEBHOOK_CONCURRENCY} at a time, queued in the store`,
  );
  ctx.record({ name: 'webhook ack p50', value: Math.round(at(0.5)), unit: 'ms' });
  ctx.record({ name: 'webhook ack p99', value: Math.round(at(0.99)), unit: 'ms' });
  const max = latencies.at(-1) ?? 0;
  ctx.record({ name: 'webhook ack max', value: Math.round(max), unit: 'ms', target: '< 1000 ms', pass: max < 1000 && failures === 0 });
}

/** The sandbox portal, the store with its tenant row, and the production-configured connector, installed. */
interface BenchPortal {
  portal: ReturnType<typeof generateSyntheticPortal>;
  sandbox: HubSpotSandbox;
  store: TestStore;
  connector: HubSpotConnector;
}

interface Timed {
  seconds: number;
  requests: number;
  rateLimited: number;
}

async function insertBenchTenant(db: Kysely<Database>, portalId: string): Promise<void> {
  await db
    .insertInto('tenants')
    .values({
      id: TENANT,
      crm: 'hubspot',
      external_id: portalId,
      name: 'bench',
      auth_mode: 'private_app',
      token_ciphertext: null,
      token_expires_at: null,
      settings: '{}',
    })
    .execute();
}

/** Full sync, timed against the requests it made; prints when each stream's last page arrived (the slowest bounds the sync). */
async function measureFullSync(ctx: BenchContext, { sandbox, store, connector }: BenchPortal): Promise<Timed> {
  sandbox.resetStats();
  const started = performance.now();
  const lastPage: Record<string, number> = {};
  const sync = await connector.sync(createStoreSyncSink(store.db, TENANT), {
    onProgress: ({ objectType }) => {
      lastPage[objectType] = performance.now();
    },
  });
  const seconds = (performance.now() - started) / 1000;
  ctx.log(
    `  full sync streams, last page at: ${Object.entries(lastPage)
      .sort((a, b) => a[1] - b[1])
      .map(([type, at]) => `${type} ${((at - started) / 1000).toFixed(0)} s`)
      .join(', ')}`,
  );
  const stats = sandbox.stats();
  const records = ['company', 'contact', 'deal', 'email', 'call', 'meeting', 'note', 'task'].reduce((n, t) => n + (sync.counts[t] ?? 0), 0);
  reportPhase(ctx, 'full sync', { records, requests: stats.requests, seconds });
  ctx.record({ name: 'full sync: associations stored', value: sync.counts.associations ?? 0 });
  return { seconds, requests: stats.requests, rateLimited: stats.rateLimited };
}

/** The portal's own models and scores: CPU work between the two API phases, counted in the end-to-end time. */
async function measureTrainingAndScoring(
  ctx: BenchContext,
  { store }: BenchPortal,
  now: Date,
): Promise<{ trainSeconds: number; scoreSeconds: number; scored: number }> {
  let started = performance.now();
  const training = await trainTenantModels(store.db, TENANT, { now, seed: 4 });
  const trainSeconds = (performance.now() - started) / 1000;
  ctx.log(
    `  training: ${trainSeconds.toFixed(1)} s; hold-out AUC ${training.models.map((m) => `${m.target} ${m.holdout.auc.toFixed(3)}`).join(', ')}`,
  );
  started = performance.now();
  const scoring = await scoreTenant(store.db, TENANT, { now });
  const scoreSeconds = (performance.now() - started) / 1000;
  const scored = scoring.counts.deals + scoring.counts.contacts + scoring.counts.companies;
  ctx.log(
    `  scoring: ${scored} records (${scoring.counts.deals} open deals, ${scoring.counts.contacts} contacts, ${scoring.counts.companies} companies) in ${scoreSeconds.toFixed(1)} s`,
  );
  ctx.record({ name: 'training', value: Number(trainSeconds.toFixed(1)), unit: 's' });
  ctx.record({ name: 'scoring', value: Math.round(scored / scoreSeconds), unit: 'records/s' });
  return { trainSeconds, scoreSeconds, scored };
}

/**
 * Writes every score back, then the same scores a day later: change-only write-back must send nothing the
 * second time (the scored-at stamp alone does not count as a change).
 */
async function measureWriteBack(ctx: BenchContext, { sandbox, store, connector }: BenchPortal, now: Date, scored: number): Promise<Timed> {
  const writes = await pendingScoreWrites(store.db, TENANT);
  sandbox.resetStats();
  const started = performance.now();
  const written = await connector.writeScores(writes);
  const failed = new Set(written.failed.map((f) => f.externalId));
  await markScoresWritten(
    store.db,
    TENANT,
    writes.filter((w) => !failed.has(w.externalId)),
    now,
  );
  const seconds = (performance.now() - started) / 1000;
  const stats = sandbox.stats();
  reportPhase(ctx, 'write-back', { records: written.written, requests: stats.requests, seconds });
  ctx.record({ name: 'write-back: records failed', value: written.failed.length, target: '= 0', pass: written.failed.length === 0 });
  ctx.record({
    name: 'records scored but not written',
    value: scored - written.written - written.unchanged,
    target: '= 0',
    pass: scored === written.written + written.unchanged,
  });

  sandbox.resetStats();
  const again = await connector.writeScores(
    writes.map((w) => ({ ...w, fields: { ...w.fields, scoredAt: new Date(now.getTime() + 86_400_000) } })),
  );
  ctx.record({
    name: 'rescoring unchanged: requests sent',
    value: sandbox.stats().requests,
    target: '= 0',
    pass: sandbox.stats().requests === 0 && again.unchanged === writes.length,
  });
  return { seconds, requests: stats.requests, rateLimited: stats.rateLimited };
}

/** The whole pipeline against what the rate limit alone would need for its requests, and the 429s it drew. */
function reportEndToEnd(ctx: BenchContext, sync: Timed, cpu: { trainSeconds: number; scoreSeconds: number }, writeBack: Timed): void {
  const seconds = sync.seconds + cpu.trainSeconds + cpu.scoreSeconds + writeBack.seconds;
  const boundSeconds = (sync.requests + writeBack.requests) / ALLOWED_PER_SECOND;
  ctx.log(
    `  end to end: ${seconds.toFixed(1)} s (sync ${sync.seconds.toFixed(1)} + training ${cpu.trainSeconds.toFixed(1)} + scoring ${cpu.scoreSeconds.toFixed(1)} + write-back ${writeBack.seconds.toFixed(1)}); the rate limit alone needs ${boundSeconds.toFixed(1)} s for its ${sync.requests + writeBack.requests} requests`,
  );
  ctx.record({
    name: 'end to end (sync, train, score, write-back): rate-limit bound / elapsed',
    value: Number(((boundSeconds / seconds) * 100).toFixed(1)),
    unit: '%',
    target: `≥ ${TARGET_RATIO * 100} %`,
    pass: boundSeconds / seconds >= TARGET_RATIO,
  });
  const total = sync.rateLimited + writeBack.rateLimited;
  ctx.record({ name: '429 responses (sync + write-back, default limiter)', value: total, target: '= 0', pass: total === 0 });
}

async function run(ctx: BenchContext): Promise<void> {
  // HUBSPOT_BENCH_CONTACTS overrides the size, for looking at scaling between the quick and full portals.
  const contacts = Number(process.env.HUBSPOT_BENCH_CONTACTS) || (ctx.quick ? 5_000 : 100_000);
  const portal = generateSyntheticPortal({ seed: 4, contacts });
  let sandbox: HubSpotSandbox | undefined;
  let store: TestStore | undefined;
  try {
    sandbox = await startHubSpotSandbox({ limits: {} });
    sandbox.loadPortal(portal);
    store = await openTestPostgres();
    await insertBenchTenant(store.db, String(sandbox.portalId));
    ctx.log(
      `  portal: ${portal.companies.length} companies, ${portal.contacts.length} contacts, ${portal.deals.length} deals, ${portal.activities.length} activities; sandbox limit ${HUBSPOT_LIMITS.standard.max} / ${HUBSPOT_LIMITS.standard.intervalMs / 1000} s, search ${HUBSPOT_LIMITS.search.max} / s`,
    );
    // Default limits and retries: what production runs with.
    const connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: String(sandbox.portalId),
      store: { db: store.db, tenantId: TENANT },
    });
    await connector.install();
    const bench: BenchPortal = { portal, sandbox, store, connector };

    const now = new Date(portal.now);
    const sync = await measureFullSync(ctx, bench);
    const cpu = await measureTrainingAndScoring(ctx, bench, now);
    const writeBack = await measureWriteBack(ctx, bench, now, cpu.scored);
    reportEndToEnd(ctx, sync, cpu, writeBack);

    await measureWebhookAcks(ctx, { db: store.db, portalId: String(sandbox.portalId), requests: ctx.quick ? 50 : 300 });
  } finally {
    await sandbox?.stop();
    await store?.dispose();
  }
}

export const section: BenchSection = {
  name: 'hubspot',
  description:
    'HubSpot install pipeline: full sync, training, scoring and write-back of a 100,000-contact sandbox portal at the rate limit',
  run,
};
