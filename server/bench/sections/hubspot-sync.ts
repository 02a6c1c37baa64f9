// HubSpot sync bench: a synthetic portal (100,000 contacts; 5,000 with --quick) in the sandbox at HubSpot's
// marketplace-app limits (110 requests / 10 s per portal, search 5 / s), fully synced into PostgreSQL and
// written back through the connector with its default limiter. For each phase it prints the bound the rate
// limit sets (requests allowed per second × records per request), the measured throughput, their ratio
// (target ≥ 85 %) and the 429s the sandbox answered (target 0). Last, the webhook endpoint's
// acknowledgement latency while it queues signed batches durably (target < 1 s).
//
// The scores written are deterministic stand-ins (this section measures the connector, not the model; the
// ML sections measure scoring). Every value differs from what the portal holds, so every record is written.

import type { Kysely } from 'kysely';
import { type HubSpotSandbox, startHubSpotSandbox } from '../../../test/sandboxes/hubspot/index.ts';
import { generateSyntheticPortal } from '../../../test/sandboxes/seed/synthetic-portal.ts';
import { openTestPostgres, type TestStore } from '../../../test/support/stores.ts';
import type { ScoreWrite } from '../../src/connectors/connector.ts';
import { HubSpotConnector } from '../../src/connectors/hubspot/hubspot-connector.ts';
import { HUBSPOT_LIMITS } from '../../src/connectors/hubspot/rate-limiter.ts';
import { computeSignatureV3 } from '../../src/connectors/hubspot/signature.ts';
import { buildApp } from '../../src/http/app.ts';
import { hubSpotWebhooksRouter } from '../../src/http/hubspot-webhooks/router.ts';
import { listen } from '../../src/http/listen.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { Database, ObjectType } from '../../src/store/schema.ts';
import { createStoreSyncSink } from '../../src/store/sync-sink.ts';
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

/** Stand-in scores: deterministic per record, never equal to what the portal already holds. */
function benchWrites(ids: Record<ObjectType, string[]>): ScoreWrite[] {
  const scoredAt = new Date('2026-11-01T00:00:00Z');
  const p = (i: number) => ((i * 7919) % 1000) / 1000;
  return [
    ...ids.deal.map(
      (id, i): ScoreWrite => ({
        objectType: 'deal',
        externalId: id,
        fields: { winProbability: p(i), dealScore: 3, trend: 'steady', scoredAt },
      }),
    ),
    ...ids.contact.map(
      (id, i): ScoreWrite => ({
        objectType: 'contact',
        externalId: id,
        fields: { likelihoodToClose: p(i), priority: 'medium', leadGrade: 'B2', scoredAt },
      }),
    ),
    ...ids.company.map((id): ScoreWrite => ({ objectType: 'company', externalId: id, fields: { engagementLevel: 'medium', scoredAt } })),
  ];
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
    await store.db
      .insertInto('tenants')
      .values({
        id: TENANT,
        crm: 'hubspot',
        external_id: String(sandbox.portalId),
        name: 'bench',
        auth_mode: 'private_app',
        token_ciphertext: null,
        token_expires_at: null,
        settings: '{}',
      })
      .execute();
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

    sandbox.resetStats();
    let started = performance.now();
    const lastPage: Record<string, number> = {};
    const sync = await connector.sync(createStoreSyncSink(store.db, TENANT), {
      onProgress: ({ objectType }) => {
        lastPage[objectType] = performance.now();
      },
    });
    const syncSeconds = (performance.now() - started) / 1000;
    ctx.log(
      `  full sync streams, last page at: ${Object.entries(lastPage)
        .sort((a, b) => a[1] - b[1])
        .map(([type, at]) => `${type} ${((at - started) / 1000).toFixed(0)} s`)
        .join(', ')}`,
    );
    const syncStats = sandbox.stats();
    const syncRecords = ['company', 'contact', 'deal', 'email', 'call', 'meeting', 'note', 'task'].reduce(
      (n, t) => n + (sync.counts[t] ?? 0),
      0,
    );
    reportPhase(ctx, 'full sync', { records: syncRecords, requests: syncStats.requests, seconds: syncSeconds });
    ctx.record({ name: 'full sync: associations stored', value: sync.counts.associations ?? 0 });

    const ids = { company: [] as string[], contact: [] as string[], deal: [] as string[] };
    const rows = await store.db.selectFrom('crm_records').select(['object_type', 'external_id']).where('tenant_id', '=', TENANT).execute();
    for (const row of rows) ids[row.object_type].push(row.external_id);
    const writes = benchWrites(ids);

    sandbox.resetStats();
    started = performance.now();
    const written = await connector.writeScores(writes);
    const writeSeconds = (performance.now() - started) / 1000;
    const writeStats = sandbox.stats();
    reportPhase(ctx, 'write-back', { records: written.written, requests: writeStats.requests, seconds: writeSeconds });
    ctx.record({ name: 'write-back: records failed', value: written.failed.length, target: '= 0', pass: written.failed.length === 0 });

    sandbox.resetStats();
    const again = await connector.writeScores(
      writes.map((w) => ({ ...w, fields: { ...w.fields, scoredAt: new Date('2026-11-02T00:00:00Z') } })),
    );
    ctx.record({
      name: 'rescoring unchanged: requests sent',
      value: sandbox.stats().requests,
      target: '= 0',
      pass: sandbox.stats().requests === 0 && again.unchanged === writes.length,
    });

    const total = syncStats.rateLimited + writeStats.rateLimited;
    ctx.record({ name: '429 responses (sync + write-back, default limiter)', value: total, target: '= 0', pass: total === 0 });
    ctx.record({ name: 'end to end (sync + write-back)', value: Number((syncSeconds + writeSeconds).toFixed(1)), unit: 's' });

    await measureWebhookAcks(ctx, { db: store.db, portalId: String(sandbox.portalId), requests: ctx.quick ? 50 : 300 });
  } finally {
    await sandbox?.stop();
    await store?.dispose();
  }
}

export const section: BenchSection = {
  name: 'hubspot',
  description: 'HubSpot connector: full sync and write-back of a 100,000-contact sandbox portal at the rate limit',
  run,
};
