// Latency of the Apex-facing API on a demo-sized org: node server/src/http/salesforce-api/bench/latency.bench.ts [contacts] [seed]
// The Apex callout times out after 20 s (ClosewiseController.send), so rescore is the number to watch.
import { performance } from 'node:perf_hooks';
import { installSalesforceOrg } from '../test-support/installed-org.ts';

const contacts = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? 1);

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const out = await fn();
  return [performance.now() - start, out];
}

const t0 = performance.now();
const o = await installSalesforceOrg(seed, contacts);
console.info(`installed, synced, trained, scored ${contacts} contacts (seed ${seed}) in ${ms(performance.now() - t0)}`);
try {
  const opps = o.org.sandbox.records('Opportunity').filter((r) => r.IsClosed === false);
  const id = String(opps[0]?.Id);
  const [first, r1] = await timed(() => o.call('POST', `/api/salesforce/records/Opportunity/${id}/rescore`, { body: '{}' }));
  console.info(`rescore #1 (scores the org, writes every changed score): ${ms(first)} → ${r1.status} ${r1.text}`);
  const [second, r2] = await timed(() => o.call('POST', `/api/salesforce/records/Opportunity/${id}/rescore`, { body: '{}' }));
  console.info(`rescore #2 (nothing changed): ${ms(second)} → ${r2.status} ${r2.text}`);
  for (const [label, method, path] of [
    ['reasons', 'GET', `/api/salesforce/records/Opportunity/${id}/reasons`],
    ['task-suggestion', 'POST', `/api/salesforce/records/Opportunity/${id}/task-suggestion`],
    ['models', 'GET', '/api/salesforce/models/Opportunity'],
  ] as const) {
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i < 200; i += 1) {
      const [t, r] = await timed(() => o.call(method, path, method === 'POST' ? { body: '{}' } : {}));
      times.push(t);
      status = r.status;
    }
    console.info(`${label}: 200 sequential calls, p50 ${ms(pct(times, 0.5))}, p95 ${ms(pct(times, 0.95))} (status ${status})`);
  }
} finally {
  await o.close();
}
