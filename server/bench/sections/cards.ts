// Card API bench: signed score reads through the HubSpot card router on the real store, 50 concurrent
// requests (server/src/http/hubspot-cards/bench/store-backed.bench.ts, run as a child process so each engine
// gets a fresh process). The p95 target applies to PostgreSQL, the production store for serving cards at
// scale; the embedded PGlite store runs its queries on the server's own thread and is reported alongside.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchContext, BenchSection } from '../section.ts';

const run = promisify(execFile);
const SCRIPT = new URL('../../src/http/hubspot-cards/bench/store-backed.bench.ts', import.meta.url).pathname;
const P95_TARGET_MS = 50;

interface CardBenchSummary {
  requests: number;
  statuses: Record<string, number>;
  throughputPerS: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  serverCpuPerRequestMs: number;
  sqlQueriesPerRequest: number;
}

async function measure(engine: 'postgres' | 'pglite', requests: number): Promise<CardBenchSummary> {
  // The bench exits 1 when p95 misses its budget; the figures are on stdout either way.
  const { stdout } = await run(process.execPath, [SCRIPT, '--engine', engine, '--requests', String(requests)], {
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    if (error.stdout?.includes('"p95Ms"')) return { stdout: error.stdout };
    throw new Error(`card bench (${engine}) failed: ${error.stderr ?? String(error)}`);
  });
  return JSON.parse(stdout.slice(stdout.indexOf('{'))) as CardBenchSummary;
}

export const section: BenchSection = {
  name: 'cards',
  description: 'card API score reads at 50 concurrent signed requests (PostgreSQL and PGlite)',
  async run(ctx: BenchContext) {
    const requests = ctx.quick ? 5000 : 20000;
    for (const engine of ['postgres', 'pglite'] as const) {
      const r = await measure(engine, requests);
      const ok = Object.keys(r.statuses).every((s) => s === '200');
      ctx.log(
        `  ${engine}: ${r.requests} requests, ${r.throughputPerS}/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, server CPU ${r.serverCpuPerRequestMs} ms/request, ${r.sqlQueriesPerRequest} SQL/request, statuses ${JSON.stringify(r.statuses)}`,
      );
      ctx.record({
        name: `p95 latency, ${engine}`,
        value: r.p95Ms,
        unit: 'ms',
        ...(engine === 'postgres' ? { target: `≤ ${P95_TARGET_MS} ms, all 200`, pass: ok && r.p95Ms <= P95_TARGET_MS } : {}),
      });
    }
  },
};
