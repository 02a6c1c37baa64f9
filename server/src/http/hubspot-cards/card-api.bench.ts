/**
 * Benchmark: score reads through the card API at 50 concurrent requests, signature verification included.
 *   node server/src/http/hubspot-cards/card-api.bench.ts [--requests 5000] [--concurrency 50]
 * The real router on a real port in its own thread (so the load generator does not share its event loop),
 * requests signed like HubSpot over keep-alive connections; the data layer is the in-memory test double, so this
 * measures the HTTP + signature + tenancy + validation cost the router adds. Exit code 1 if p95 > 50 ms.
 */
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import express from 'express';
import { computeSignatureV3, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../connectors/hubspot/signature.ts';
import { createHubSpotCardRouter } from './router.ts';
import { createFakeDeps } from './test-support/fake-deps.ts';

if (!isMainThread) {
  const fake = createFakeDeps();
  const app = express();
  app.use(createHubSpotCardRouter(fake.deps));
  const server = app.listen(0, '127.0.0.1', () => parentPort?.postMessage((server.address() as AddressInfo).port));
  let cpuAtStart = process.threadCpuUsage();
  parentPort?.on('message', (message) => {
    // CPU of the server thread alone: a load-independent cost per request, unlike latency on a shared machine.
    if (message === 'start') cpuAtStart = process.threadCpuUsage();
    if (message === 'stop') {
      const used = process.threadCpuUsage(cpuAtStart);
      parentPort?.postMessage({ cpuMicros: used.user + used.system });
      server.close(() => process.exit(0));
    }
  });
} else {
  await main();
}

async function main() {
  const { values } = parseArgs({
    options: { requests: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '50' } },
  });
  const total = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const P95_BUDGET_MS = 50;

  const secret = createFakeDeps().deps.clientSecret;
  const worker = new Worker(new URL(import.meta.url));
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const origin = `http://127.0.0.1:${port}`;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const paths = [
    '/api/hubspot/cards/deals/101?portalId=111',
    '/api/hubspot/cards/contacts/201?portalId=111',
    '/api/hubspot/cards/companies/301?portalId=111',
  ];

  async function one(i: number): Promise<number> {
    const url = `${origin}${paths[i % paths.length]}`;
    const timestamp = String(Date.now());
    const started = performance.now();
    const signature = computeSignatureV3(secret, { method: 'GET', uri: url, rawBody: '', timestamp });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { agent, headers: { [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    if (status !== 200) throw new Error(`request ${i} answered ${status}`);
    return performance.now() - started;
  }

  // Warm-up: JIT, connection pool.
  for (let i = 0; i < 200; i++) await one(i);

  worker.postMessage('start');
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) latencies.push(await one(next++));
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  const serverCpu = new Promise<{ cpuMicros: number }>((resolve) => worker.once('message', resolve));
  worker.postMessage('stop');
  const { cpuMicros } = await serverCpu;

  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
  const result = {
    requests: latencies.length,
    concurrency,
    throughputPerS: Math.round(latencies.length / elapsedS),
    p50Ms: Number(pct(50).toFixed(2)),
    p95Ms: Number(pct(95).toFixed(2)),
    p99Ms: Number(pct(99).toFixed(2)),
    maxMs: Number((latencies.at(-1) ?? Number.NaN).toFixed(2)),
    budgetP95Ms: P95_BUDGET_MS,
    serverCpuPerRequestMs: Number((cpuMicros / 1000 / latencies.length).toFixed(3)),
    loadAverage1m: Number(loadavg()[0]?.toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exitCode = result.p95Ms <= P95_BUDGET_MS ? 0 : 1;
}
