/**
 * Benchmark of the router alone: score reads at 50 concurrent signed requests against the in-memory test double
 * of the data layer, so it isolates what the router adds (HTTP, signature, tenancy, output validation).
 *   node server/src/http/hubspot-cards/bench/router-only.bench.ts [--requests 5000] [--concurrency 50]
 * The server runs on the main thread, the load generator in a worker thread. Exit code 1 if p95 > 50 ms.
 * The store-backed acceptance bench is store-backed.bench.ts.
 */
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import express from 'express';
import { createHubSpotCardRouter } from '../router.ts';
import { createFakeDeps } from '../test-support/fake-deps.ts';
import { type LoadInput, type LoadResult, summarize } from './load-client.ts';

const P95_BUDGET_MS = 50;
const { values } = parseArgs({
  options: { requests: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '50' } },
});

const fake = createFakeDeps();
const app = express();
app.use(createHubSpotCardRouter(fake.deps));
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const input: LoadInput = {
  origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  secret: fake.deps.clientSecret,
  paths: [
    '/api/hubspot/cards/deals/101?portalId=111',
    '/api/hubspot/cards/contacts/201?portalId=111',
    '/api/hubspot/cards/companies/301?portalId=111',
  ],
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
  concurrency: input.concurrency,
  budgetP95Ms: P95_BUDGET_MS,
  serverCpuPerRequestMs: Number(((cpu.user + cpu.system) / 1000 / (input.total + input.warmup)).toFixed(3)),
  loadAverage1m: Number(loadavg()[0]?.toFixed(2)),
});
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.exitCode = summary.p95Ms <= P95_BUDGET_MS && Object.keys(result.statuses).every((s) => s === '200') ? 0 : 1;
