import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LambdaHttpResult } from '@closewise/server/functions/lambda-events';
import { listen, type RunningServer } from '@closewise/server/http/listen';
import { buildServeApp } from '@closewise/server/http/serve-app';
import { openRuntime, type Runtime } from '@closewise/server/runtime/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, CLIENT_SECRET, PUBLIC_BASE_URL, type SignedRequest, send, signed, webhookBody } from './test-support/hubspot-requests.ts';
import { lambdaEvent } from './test-support/lambda-events.ts';
import { ENCRYPTION_KEY_HEX, firstScoredDeal, type PostgresTenant, postgresHubSpotTenant } from './test-support/scored-tenant.ts';

// The framework's own command line (`npx functions-framework`), run by this Node.
const FRAMEWORK_BIN = fileURLToPath(new URL('../../node_modules/.bin/functions-framework', import.meta.url));
const CLOUD_RUN_SOURCE = fileURLToPath(import.meta.resolve('@closewise/server/functions/cloud-run-index'));
const BUILD = fileURLToPath(import.meta.resolve('@closewise/server/build/functions'));
const LAMBDA_SOURCE = fileURLToPath(import.meta.resolve('@closewise/server/functions/lambda-http'));

type Handler = (event: unknown) => Promise<LambdaHttpResult>;

function parse(result: LambdaHttpResult): { status: number; body: unknown } {
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The HTTP functions against `closewise serve`'s app (the same builder, on a port), on one PostgreSQL
 * database with a synced and scored sandbox portal: a HubSpot-signed card read, a signed webhook and a
 * forged one give the same status and body through the Lambda handler (AWS's v2 event shapes) and through
 * the Cloud Run function under the real functions framework in its own process.
 */
describe('HTTP functions answer as closewise serve does', () => {
  let t: PostgresTenant;
  let env: NodeJS.ProcessEnv;
  let serveRuntime: Runtime;
  let serve: RunningServer;
  let lambda: Handler;
  let cardPath: string;
  let portalId: string;
  let dealId: string;

  beforeAll(async () => {
    t = await postgresHubSpotTenant({ contacts: 40, seed: 11, score: true });
    env = {
      ...process.env,
      DATABASE_URL: t.store.databaseUrl,
      HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
      HUBSPOT_APP_ID: APP_ID,
      HUBSPOT_BASE_PATH: t.sandbox.url,
      PUBLIC_BASE_URL,
      CLOSEWISE_ENCRYPTION_KEY: ENCRYPTION_KEY_HEX,
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
    };
    serveRuntime = await openRuntime(env);
    serve = await listen(buildServeApp(serveRuntime, null, env).app, '127.0.0.1', 0);
    portalId = String(t.sandbox.portalId);
    dealId = await firstScoredDeal(t);
    cardPath = `/api/hubspot/cards/deals/${dealId}?portalId=${portalId}&userId=1&userEmail=rep%40example.com`;
    Object.assign(process.env, env);
    lambda = ((await import('@closewise/server/functions/lambda-http')) as { handler: Handler }).handler;
  }, 120_000);

  afterAll(async () => {
    await serve?.close();
    await serveRuntime?.close();
    await t?.stop();
  });

  const cases: { name: string; request: () => SignedRequest; status: number }[] = [
    { name: 'signed card read', request: () => signed('GET', cardPath), status: 200 },
    { name: 'signed webhook', request: () => signed('POST', '/webhooks/hubspot', webhookBody(portalId, dealId)), status: 200 },
    {
      name: 'forged webhook',
      request: () => signed('POST', '/webhooks/hubspot', webhookBody(portalId, dealId), { forge: true }),
      status: 401,
    },
    { name: 'forged card read', request: () => signed('GET', cardPath, undefined, { forge: true }), status: 401 },
  ];

  for (const shape of ['function-url', 'http-api'] as const) {
    it.each(cases)(`Lambda (${shape}): $name`, async ({ request, status }) => {
      const expected = await send(serve.url, request());
      expect(expected.status).toBe(status);
      const plain = parse(await lambda(lambdaEvent(request(), shape)));
      expect(plain).toEqual(expected);
      // The same request with its body base64-encoded, as Function URLs send non-text content types.
      const encoded = parse(await lambda(lambdaEvent(request(), shape, { base64: true })));
      expect(encoded).toEqual(expected);
    });
  }

  const cloudRunAgrees = async (source: string) => {
    const port = await freePort();
    const child = spawn(process.execPath, [FRAMEWORK_BIN, '--target=closewise', `--source=${source}`, `--port=${port}`], {
      env: { ...env, FUNCTION_TARGET: 'closewise' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      const origin = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 30_000;
      while (
        !(await fetch(`${origin}/healthz`).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`functions framework did not start: ${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      for (const { request, status } of cases) {
        const expected = await send(serve.url, request());
        expect(expected.status).toBe(status);
        expect(await send(origin, request())).toEqual(expected);
      }
    } finally {
      child.kill('SIGTERM');
    }
  };

  it('Cloud Run function (source) under the functions framework (own process) gives the same results', async () => {
    await cloudRunAgrees(CLOUD_RUN_SOURCE);
  }, 60_000);

  it('Cloud Run function (the build:functions bundle) under the functions framework gives the same results', async () => {
    const out = await mkdtemp(join(tmpdir(), 'closewise-functions-'));
    try {
      const build = spawnSync(process.execPath, [BUILD, '--target', 'gcp', '--out', out], { encoding: 'utf8' });
      expect(build.status, build.stderr).toBe(0);
      // The directory `gcloud functions deploy --source` uploads: package.json (main: index.mjs) and the chunks.
      await cloudRunAgrees(join(out, 'gcp'));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 90_000);

  it('function mode without DATABASE_URL fails at startup with one line saying why', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(LAMBDA_SOURCE)})`], {
      env: { ...env, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^closewise function: function mode needs PostgreSQL: set DATABASE_URL/),
    ]);
  }, 30_000);
});
