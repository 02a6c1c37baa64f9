import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/closewise.js', import.meta.url));

describe('closewise serve', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'closewise-serve-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves /healthz, mounts the HubSpot app routes, refuses unsigned card requests, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      env: {
        ...process.env,
        CLOSEWISE_DATA_DIR: dataDir,
        HUBSPOT_CLIENT_SECRET: 'test-secret',
        SALESFORCE_CLIENT_ID: 'cid',
        SALESFORCE_CLIENT_SECRET: 'csecret',
        HUBSPOT_APP_ID: '42',
        CLOSEWISE_JOBS: 'off',
        DATABASE_URL: '',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!/on (http:\/\/\S+)/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const url = /on (http:\/\/\S+)/.exec(out)?.[1];
    expect(url, out).toBeTruthy();

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const card = await fetch(`${url}/api/hubspot/cards/deals/1?portalId=1`);
    expect(card.status).toBe(401);
    const webhook = await fetch(`${url}/webhooks/hubspot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    expect(webhook.status).toBe(401);
    const apex = await fetch(`${url}/api/salesforce/models/Opportunity`);
    expect(apex.status).toBe(401);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('rejects a bad --port with usage and exit 2', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', 'eighty'], {
      env: { ...process.env, CLOSEWISE_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain('--port');
  });
});
