import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { computeSignatureV3, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';

/**
 * Load generator for the card API benches, run in a worker thread so it never shares the server's event loop.
 * Closed loop: `concurrency` virtual cards, each sending its next signed GET when the previous one answered.
 */
export interface LoadInput {
  origin: string;
  secret: string;
  paths: string[];
  total: number;
  concurrency: number;
  warmup: number;
}

export interface LoadResult {
  latenciesMs: number[];
  elapsedS: number;
  statuses: Record<string, number>;
}

async function run(input: LoadInput): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: input.concurrency });
  const statuses: Record<string, number> = {};
  const one = async (i: number): Promise<number> => {
    const url = `${input.origin}${input.paths[i % input.paths.length]}`;
    const started = performance.now();
    const timestamp = String(Date.now());
    const signature = computeSignatureV3(input.secret, { method: 'GET', uri: url, rawBody: '', timestamp });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { agent, headers: { [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    statuses[status] = (statuses[status] ?? 0) + 1;
    return performance.now() - started;
  };
  for (let i = 0; i < input.warmup; i++) await one(i);
  for (const key of Object.keys(statuses)) delete statuses[key];

  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: input.concurrency }, async () => {
      while (next < input.total) latenciesMs.push(await one(next++));
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  return { latenciesMs, elapsedS, statuses };
}

if (parentPort) {
  const port = parentPort;
  port.once('message', () => {
    run(workerData as LoadInput).then((result) => port.postMessage(result));
  });
}

export function summarize(result: LoadResult, extra: Record<string, unknown>) {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const pct = (p: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN).toFixed(2));
  return {
    requests: sorted.length,
    statuses: result.statuses,
    throughputPerS: Math.round(sorted.length / result.elapsedS),
    p50Ms: pct(50),
    p95Ms: pct(95),
    p99Ms: pct(99),
    maxMs: Number((sorted.at(-1) ?? Number.NaN).toFixed(2)),
    ...extra,
  };
}
