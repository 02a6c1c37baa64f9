/**
 * Benchmark: score reads through the card API at 50 concurrent requests, signature verification included.
 *   node server/src/http/hubspot-cards/card-api.bench.ts [--requests 5000] [--concurrency 50]
 * The real router on a real port, requests signed like HubSpot; the data layer is the in-memory test double,
 * so this measures the HTTP + signature + tenancy + validation cost the router adds. The client runs in the
 * same process (it also signs), so the numbers are conservative. Exit code 1 if p95 > 50 ms.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import express from 'express';
import { computeSignatureV3, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../connectors/hubspot/signature.ts';
import { createHubSpotCardRouter } from './router.ts';
import { createFakeDeps } from './test-support/fake-deps.ts';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '50' } },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);
const P95_BUDGET_MS = 50;

const fake = createFakeDeps();
const app = express();
app.use(createHubSpotCardRouter(fake.deps));
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const paths = [
  '/api/hubspot/cards/deals/101?portalId=111',
  '/api/hubspot/cards/contacts/201?portalId=111',
  '/api/hubspot/cards/companies/301?portalId=111',
];

async function one(i: number): Promise<number> {
  const url = `${origin}${paths[i % paths.length]}`;
  const timestamp = String(Date.now());
  const started = performance.now();
  const signature = computeSignatureV3(fake.deps.clientSecret, { method: 'GET', uri: url, rawBody: '', timestamp });
  const response = await fetch(url, { headers: { [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`request ${i} answered ${response.status}`);
  return performance.now() - started;
}

// Warm-up: JIT, connection pool.
for (let i = 0; i < 200; i++) await one(i);

const latencies: number[] = [];
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) latencies.push(await one(next++));
  }),
);
const elapsedS = (performance.now() - started) / 1000;
server.close();

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
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exitCode = result.p95Ms <= P95_BUDGET_MS ? 0 : 1;
