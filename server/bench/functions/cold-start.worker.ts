// One cold Lambda instance: imports the handler (its init phase), answers one signed card read, then
// `--warm N` pre-signed reads, `--concurrency` (20) in flight at once, through the same handler. More than
// one in flight is not how Lambda runs an instance: kept to compare with the fleet of lambda-fleet.ts.
// Prints one JSON line. Spawned by sections/functions.ts.
import { parseArgs } from 'node:util';
import { type LambdaHttpHandler, percentile, signedCardRead } from './signed-events.ts';

const started = performance.now();
const { values } = parseArgs({
  options: {
    entry: { type: 'string' },
    paths: { type: 'string' },
    warm: { type: 'string', default: '0' },
    concurrency: { type: 'string', default: '20' },
  },
});
const paths = (values.paths ?? '').split(',');
const origin = process.env.PUBLIC_BASE_URL ?? '';
const secret = process.env.HUBSPOT_CLIENT_SECRET ?? '';
const { handler } = (await import(values.entry ?? '')) as { handler: LambdaHttpHandler };
const event = (pathAndQuery: string) => signedCardRead(pathAndQuery, origin, secret);

const first = await handler(event(paths[0] ?? '/'));
const coldMs = performance.now() - started;
const latencies: number[] = [];
const statuses: Record<string, number> = {};
const total = Number(values.warm);
// Signed before the clock starts (the load generator's work, not the handler's); then `--concurrency` in flight.
const events = Array.from({ length: total }, (_, i) => event(paths[i % paths.length] ?? '/'));
let next = 0;
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    while (next < total) {
      const signedEvent = events[next++];
      const t0 = performance.now();
      const result = await handler(signedEvent);
      latencies.push(performance.now() - t0);
      statuses[result.statusCode] = (statuses[result.statusCode] ?? 0) + 1;
    }
  }),
);
const p95 = percentile(latencies, 95);
process.stdout.write(
  `${JSON.stringify({ coldMs: Math.round(coldMs), firstStatus: first.statusCode, warmRequests: total, p95Ms: Number(p95.toFixed(1)), statuses })}\n`,
);
process.exit(0);
