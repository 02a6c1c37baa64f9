/**
 * Benchmark of the acceptance path: score reads through the card API with the REAL backend behind it
 * (store-backed card data on PostgreSQL or PGlite, filled by the demo pipeline on a sandbox portal),
 * signature verification included, at 50 concurrent signed requests.
 *   node server/src/http/hubspot-cards/bench/store-backed.bench.ts [--engine postgres|pglite] [--requests 3000] [--concurrency 50] [--seed 42]
 * The server runs on the main thread, the load generator in a worker thread. Exit code 1 if p95 > 50 ms.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import express from 'express';
import { openTestPglite, openTestPostgres, type TestStore } from '../../../../../test/support/stores.ts';
import { createStoreCardDeps } from '../../../cards/hubspot-card-deps.ts';
import { runDemo } from '../../../demo/run-demo.ts';
import { SCORE_KINDS } from '../../../scoring/details.ts';
import { createHubSpotCardRouter } from '../router.ts';
import { type LoadInput, type LoadResult, summarize } from './load-client.ts';

const P95_BUDGET_MS = 50;
const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'postgres' },
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '50' },
    seed: { type: 'string', default: '42' },
  },
});

const store: TestStore = values.engine === 'pglite' ? await openTestPglite() : await openTestPostgres();
try {
  process.stderr.write(`filling the ${values.engine} store with the demo portal (seed ${values.seed})…\n`);
  const run = await runDemo({ db: store.db, encryptionKey: randomBytes(32), seed: Number(values.seed) });
  try {
    const clientSecret = randomBytes(24).toString('hex');
    const deps = createStoreCardDeps({
      db: store.db,
      clientSecret,
      scoringNow: () => run.now,
      connectorFor: () => Promise.reject(new Error('reads only')),
    });
    const app = express();
    app.use(createHubSpotCardRouter(deps));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const ids = async (kind: string, limit: number) =>
      (
        await store.db
          .selectFrom('scores')
          .select('external_id')
          .where('tenant_id', '=', run.tenant.id)
          .where('score_kind', '=', kind)
          .orderBy('external_id')
          .limit(limit)
          .execute()
      ).map((r) => r.external_id);
    const portal = run.portal.portalId;
    const paths = [
      ...(await ids(SCORE_KINDS.deal, 200)).map((id) => `/api/hubspot/cards/deals/${id}?portalId=${portal}`),
      ...(await ids(SCORE_KINDS.contact, 100)).map((id) => `/api/hubspot/cards/contacts/${id}?portalId=${portal}`),
      ...(await ids(SCORE_KINDS.company, 50)).map((id) => `/api/hubspot/cards/companies/${id}?portalId=${portal}`),
    ];

    const input: LoadInput = {
      origin,
      secret: clientSecret,
      paths,
      total: Number(values.requests),
      concurrency: Number(values.concurrency),
      warmup: 200,
    };
    const worker = new Worker(new URL('./load-client.ts', import.meta.url), { workerData: input });
    const cpuAtStart = process.threadCpuUsage();
    const done = new Promise<LoadResult>((resolve) => worker.once('message', resolve));
    worker.postMessage('go');
    const result = await done;
    const cpu = process.threadCpuUsage(cpuAtStart);
    await worker.terminate();
    server.close();

    const summary = summarize(result, {
      engine: values.engine,
      concurrency: input.concurrency,
      distinctRecords: paths.length,
      budgetP95Ms: P95_BUDGET_MS,
      // Includes the warm-up requests; a load-independent cost per request (server thread only).
      serverCpuPerRequestMs: Number(((cpu.user + cpu.system) / 1000 / (input.total + input.warmup)).toFixed(3)),
      loadAverage1m: Number(loadavg()[0]?.toFixed(2)),
    });
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    const allOk = Object.keys(result.statuses).every((s) => s === '200');
    process.exitCode = summary.p95Ms <= P95_BUDGET_MS && allOk ? 0 : 1;
  } finally {
    await run.portal.stop();
  }
} finally {
  await store.dispose();
}
