// Serverless functions bench: the Lambda HTTP handler on PostgreSQL with a demo portal scored in it.
// Cold start = a new process importing the handler (Lambda's init phase: config, store, migrations check,
// routers) until its first HubSpot-signed card read is answered; warm = p95 of signed card reads through the
// handler at 20 concurrent. Both for the TypeScript source and the esbuild bundle (npm run build:functions).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { runDemo } from '../../src/demo/run-demo.ts';
import { selectScoredIds } from '../../src/store/tables/scores.ts';
import { openTestPostgres } from '../../src/test-support/stores.ts';
import type { BenchContext, BenchSection } from '../section.ts';

const run = promisify(execFile);
const WORKER = new URL('../functions/cold-start.worker.ts', import.meta.url).pathname;
const SOURCE_ENTRY = new URL('../../src/functions/lambda-http.ts', import.meta.url).pathname;
const BUNDLE_ENTRY = new URL('../../dist/functions/aws/lambda-http.mjs', import.meta.url).pathname;
const BUILD = new URL('../../build/functions.ts', import.meta.url).pathname;
const COLD_TARGET_MS = 1500;
const P95_TARGET_MS = 50;

interface Measured {
  coldMs: number;
  firstStatus: number;
  p95Ms: number;
  statuses: Record<string, number>;
}

export const section: BenchSection = {
  name: 'functions',
  description: 'Lambda HTTP handler on PostgreSQL: cold start to the first signed card read, warm p95 at 20 concurrent',
  async run(ctx: BenchContext) {
    if (!existsSync(BUNDLE_ENTRY)) await run(process.execPath, [BUILD]);
    const store = await openTestPostgres();
    const key = randomBytes(32);
    try {
      const demo = await runDemo({ db: store.db, encryptionKey: key, seed: 42 });
      try {
        const deals = await selectScoredIds(store.db, demo.tenant.id, 'deal', 200);
        const paths = deals.map((id) => `/api/hubspot/cards/deals/${id}?portalId=${demo.portal.portalId}`);
        const env = {
          ...process.env,
          DATABASE_URL: store.databaseUrl,
          HUBSPOT_CLIENT_SECRET: randomBytes(16).toString('hex'),
          PUBLIC_BASE_URL: 'https://abcdefghij.lambda-url.us-east-1.on.aws',
          CLOSEWISE_ENCRYPTION_KEY: key.toString('hex'),
          NODE_ENV: 'production',
          LOG_LEVEL: 'silent',
        };
        const warm = ctx.quick ? 2000 : 10000;
        for (const [label, entry] of [
          ['bundle', BUNDLE_ENTRY],
          ['source', SOURCE_ENTRY],
        ] as const) {
          const colds: number[] = [];
          let last: Measured | undefined;
          // Several cold starts: the first pays the OS file cache, later ones are what a fresh instance sees.
          for (let i = 0; i < 3; i++) {
            const args = [WORKER, '--entry', entry, '--paths', paths.join(','), '--warm', String(i === 2 ? warm : 0)];
            const { stdout } = await run(process.execPath, args, { env, maxBuffer: 16 * 1024 * 1024 });
            last = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Measured;
            colds.push(last.coldMs);
          }
          const cold = Math.min(...colds);
          const ok = last?.firstStatus === 200 && Object.keys(last?.statuses ?? {}).every((s) => s === '200');
          ctx.log(`  ${label}: cold starts ${colds.join(', ')} ms, warm statuses ${JSON.stringify(last?.statuses)}`);
          ctx.record({
            name: `cold start, ${label}`,
            value: cold,
            unit: 'ms',
            ...(label === 'bundle' ? { target: `≤ ${COLD_TARGET_MS} ms`, pass: ok && cold <= COLD_TARGET_MS } : {}),
          });
          ctx.record({
            name: `warm p95 at 20 concurrent, ${label}`,
            value: last?.p95Ms ?? Number.NaN,
            unit: 'ms',
            ...(label === 'bundle'
              ? { target: `≤ ${P95_TARGET_MS} ms, all 200`, pass: ok && (last?.p95Ms ?? Infinity) <= P95_TARGET_MS }
              : {}),
          });
        }
      } finally {
        await demo.portal.stop();
      }
    } finally {
      await store.dispose();
    }
  },
};
