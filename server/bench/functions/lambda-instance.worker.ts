// One warm Lambda instance of the fleet the functions bench models: imports the handler (init phase),
// answers a first signed card read (its cold start), warms up, pre-signs its share of events, prints
// `ready`, waits for `go` on stdin, then serves its events one at a time — as Lambda gives an instance one
// request at a time — and prints one JSON line with its latencies. Spawned by sections/functions.ts.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type LambdaHttpHandler, signedCardRead } from './signed-events.ts';

const started = performance.now();
const { values } = parseArgs({
  options: { entry: { type: 'string' }, paths: { type: 'string' }, requests: { type: 'string' }, warmup: { type: 'string' } },
});
const paths = (values.paths ?? '').split(',');
const origin = process.env.PUBLIC_BASE_URL ?? '';
const secret = process.env.HUBSPOT_CLIENT_SECRET ?? '';
const { handler } = (await import(values.entry ?? '')) as { handler: LambdaHttpHandler };
const pathAt = (i: number) => paths[i % paths.length] ?? '/';

const first = await handler(signedCardRead(pathAt(0), origin, secret));
const coldMs = performance.now() - started;
for (let i = 0; i < Number(values.warmup ?? 0); i++) await handler(signedCardRead(pathAt(i), origin, secret));
const offset = Math.floor(Math.random() * paths.length);
const events = Array.from({ length: Number(values.requests ?? 0) }, (_, i) => signedCardRead(pathAt(offset + i), origin, secret));

process.stdout.write('ready\n');
const input = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => input.once('line', () => resolve()));
input.close();

const latencies: number[] = [];
const statuses: Record<string, number> = {};
for (const event of events) {
  const t0 = performance.now();
  const result = await handler(event);
  latencies.push(Number((performance.now() - t0).toFixed(2)));
  statuses[result.statusCode] = (statuses[result.statusCode] ?? 0) + 1;
}
process.stdout.write(`${JSON.stringify({ coldMs: Math.round(coldMs), firstStatus: first.statusCode, latencies, statuses })}\n`);
process.exit(0);
