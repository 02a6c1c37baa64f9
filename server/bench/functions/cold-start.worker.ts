// One cold Lambda instance: imports the handler (its init phase), answers one signed card read, then
// `--warm N` reads at 20 concurrent through the same handler. Prints one JSON line. Spawned by sections/functions.ts.
import { parseArgs } from 'node:util';
import { computeSignatureV3, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';

const started = performance.now();
const { values } = parseArgs({ options: { entry: { type: 'string' }, paths: { type: 'string' }, warm: { type: 'string', default: '0' } } });
const paths = (values.paths ?? '').split(',');
const origin = process.env.PUBLIC_BASE_URL ?? '';
const secret = process.env.HUBSPOT_CLIENT_SECRET ?? '';
const { handler } = (await import(values.entry ?? '')) as { handler: (event: unknown) => Promise<{ statusCode: number }> };

function event(pathAndQuery: string) {
  const [rawPath = '/', rawQueryString = ''] = pathAndQuery.split('?');
  const timestamp = String(Date.now());
  const signature = computeSignatureV3(secret, { method: 'GET', uri: `${origin}${pathAndQuery}`, rawBody: '', timestamp });
  const host = new URL(origin).host;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: { host, 'x-forwarded-proto': 'https', [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp },
    requestContext: {
      http: { method: 'GET', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      domainName: host,
      stage: '$default',
    },
    isBase64Encoded: false,
  };
}

const first = await handler(event(paths[0] ?? '/'));
const coldMs = performance.now() - started;
const latencies: number[] = [];
const statuses: Record<string, number> = {};
let next = 0;
const total = Number(values.warm);
await Promise.all(
  Array.from({ length: 20 }, async () => {
    while (next < total) {
      const path = paths[next++ % paths.length] ?? '/';
      const t0 = performance.now();
      const result = await handler(event(path));
      latencies.push(performance.now() - t0);
      statuses[result.statusCode] = (statuses[result.statusCode] ?? 0) + 1;
    }
  }),
);
latencies.sort((a, b) => a - b);
const p95 = latencies[Math.floor(latencies.length * 0.95)] ?? 0;
process.stdout.write(
  `${JSON.stringify({ coldMs: Math.round(coldMs), firstStatus: first.statusCode, warmRequests: total, p95Ms: Number(p95.toFixed(1)), statuses })}\n`,
);
process.exit(0);
