/**
 * Benchmark of the acceptance path: score reads through the card API with the REAL backend behind it
 * (store-backed card data on PostgreSQL or PGlite, filled by the demo pipeline on a sandbox portal),
 * signature verification included, at 50 concurrent signed requests.
 *   node server/src/http/hubspot-cards/bench/store-backed.bench.ts [--engine postgres|pglite] [--requests 20000] [--concurrency 50] [--seed 42]
 *     [--profile out.cpuprofile]   (CPU profile of the server thread during the measured phase only)
 *     [--pool 10]                  (PostgreSQL pool size; the store's production default is 10)
 * The server runs on the main thread, the load generator in a worker thread. Exit code 1 if p95 > 50 ms.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import express from 'express';
import type { KyselyPlugin } from 'kysely';
import pg from 'pg';
import { createStoreCardDeps } from '../../../cards/hubspot-card-deps.ts';
import { runDemo } from '../../../demo/run-demo.ts';
import { openStore } from '../../../store/open-store.ts';
import type { ObjectType } from '../../../store/schema.ts';
import { selectScoredIds } from '../../../store/tables/scores.ts';
import { openTestPglite, TEST_POSTGRES_URL, type TestStore } from '../../../test-support/stores.ts';
import { createHubSpotCardRouter } from '../router.ts';
import { type LoadInput, type LoadResult, summarize } from './load-client.ts';

const P95_BUDGET_MS = 50;
const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'postgres' },
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '50' },
    seed: { type: 'string', default: '42' },
    profile: { type: 'string' },
    pool: { type: 'string', default: '10' },
  },
});

const store: TestStore = values.engine === 'pglite' ? await openTestPglite() : await openBenchPostgres(Number(values.pool));
try {
  process.stderr.write(`filling the ${values.engine} store with the demo portal (seed ${values.seed})…\n`);
  const run = await runDemo({ db: store.db, encryptionKey: randomBytes(32), seed: Number(values.seed) });
  try {
    const clientSecret = randomBytes(24).toString('hex');
    // Counts the SQL statements the card reads issue: round trips, not CPU, dominate under load.
    const queries = { count: 0 };
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        queries.count++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const deps = createStoreCardDeps({
      db: store.db.withPlugin(counter),
      clientSecret,
      scoringNow: () => run.now,
      connectors: { forTenant: () => Promise.reject(new Error('reads only')) },
    });
    const app = express();
    app.use(createHubSpotCardRouter(deps));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const ids = (objectType: ObjectType, limit: number) => selectScoredIds(store.db, run.tenant.id, objectType, limit);
    const portal = run.portal.portalId;
    const paths = [
      ...(await ids('deal', 200)).map((id) => `/api/hubspot/cards/deals/${id}?portalId=${portal}`),
      ...(await ids('contact', 100)).map((id) => `/api/hubspot/cards/contacts/${id}?portalId=${portal}`),
      ...(await ids('company', 50)).map((id) => `/api/hubspot/cards/companies/${id}?portalId=${portal}`),
    ];

    const input: LoadInput = {
      origin,
      secret: clientSecret,
      paths,
      total: Number(values.requests),
      concurrency: Number(values.concurrency),
      warmup: 2000,
    };
    const worker = new Worker(new URL('./load-client.ts', import.meta.url), { workerData: input });
    queries.count = 0;
    const profiler = values.profile ? await startProfiler() : undefined;
    const cpuAtStart = process.threadCpuUsage();
    const done = new Promise<LoadResult>((resolve) => worker.once('message', resolve));
    worker.postMessage('go');
    const result = await done;
    const cpu = process.threadCpuUsage(cpuAtStart);
    if (profiler && values.profile) writeFileSync(values.profile, JSON.stringify(await profiler.stop()));
    await worker.terminate();
    server.close();

    const summary = summarize(result, {
      engine: values.engine,
      concurrency: input.concurrency,
      distinctRecords: paths.length,
      budgetP95Ms: P95_BUDGET_MS,
      // Includes the warm-up requests; a load-independent cost per request (server thread only).
      serverCpuPerRequestMs: Number(((cpu.user + cpu.system) / 1000 / (input.total + input.warmup)).toFixed(3)),
      pool: values.engine === 'pglite' ? null : Number(values.pool),
      sqlQueriesPerRequest: Number((queries.count / (input.total + input.warmup)).toFixed(2)),
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

/** V8's sampling profiler on this thread, for the measured phase only (the demo's training would drown it otherwise). */
async function startProfiler(): Promise<{ stop: () => Promise<unknown> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

/** A throw-away database on the test PostgreSQL, with a production-sized pool (the test helper's is 4). */
async function openBenchPostgres(maxConnections: number): Promise<TestStore> {
  const name = `closewise_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const opened = await openStore({ databaseUrl: url.toString(), maxConnections });
  return {
    ...opened,
    async dispose() {
      await opened.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
