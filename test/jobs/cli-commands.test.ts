import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { main } from '@closewise/server/cli/main';
import { PgBossEngine, queueOf } from '@closewise/server/jobs/pg-boss-engine';
import { parseJobSettings } from '@closewise/server/jobs/settings';
import { openTestPostgres } from '@closewise/server/test-support/stores';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The CLI as the server package ships it (resolved by name: test/ reaches server files only through its exports).
const bin = createRequire(import.meta.url).resolve('@closewise/server/bin/closewise.js');

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

function run(args: string[], env: Record<string, string>, untilStdout?: RegExp) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    if (!untilStdout) return resolve();
    const timer = setTimeout(() => reject(new Error(`no ${untilStdout} in time: ${stdout} ${stderr}`)), 60_000);
    child.stdout.on('data', () => {
      if (untilStdout.test(stdout)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, exited, ready, out: () => stdout, err: () => stderr };
}

describe('closewise worker and closewise status', () => {
  let store: Awaited<ReturnType<typeof openTestPostgres>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    store = await openTestPostgres();
    env = { DATABASE_URL: store.databaseUrl, CLOSEWISE_ENCRYPTION_KEY: 'a'.repeat(64) };
  }, 60_000);
  afterAll(async () => {
    await store?.dispose();
  });

  it('rejects an invalid cron expression, naming the setting, before connecting', async () => {
    const worker = run(['worker'], { ...env, CLOSEWISE_SCHEDULE_SYNC: '*/15 * * *' });
    expect(await worker.exited).toBe(2);
    expect(worker.err()).toMatch(/Invalid job setting schedules\.sync: invalid cron expression '\*\/15 \* \* \*'.*CLOSEWISE_SCHEDULE_SYNC/);
  });

  it('works until SIGTERM, registers the schedules once, and stops cleanly', async () => {
    const workers = [run(['worker'], env, /working the queues/), run(['worker', '--concurrency', '1'], env, /working the queues/)];
    await Promise.all(workers.map((w) => w.ready));
    const boss = new PgBoss({
      connectionString: store.databaseUrl,
      schedule: false,
      supervise: false,
      migrate: false,
      registerInstance: false,
    });
    await boss.start();
    try {
      const schedules = await boss.getSchedules();
      expect(schedules.map((s) => s.key).sort()).toEqual(['rescore', 'retrain', 'sync']);
    } finally {
      await boss.stop({ graceful: false });
    }
    for (const w of workers) w.child.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
    expect(workers[0]?.out()).toMatch(/worker stopped/);
  }, 90_000);

  it('shows per portal the model version, queued jobs, failures and dead letters', async () => {
    await store.db
      .insertInto('tenants')
      .values({
        id: 't-acme',
        crm: 'hubspot',
        external_id: '4242',
        name: 'Acme',
        auth_mode: 'private_app',
        token_ciphertext: null,
        token_expires_at: null,
        settings: '{}',
      })
      .execute();
    await store.db
      .insertInto('models')
      .values({
        tenant_id: 't-acme',
        target: 'deal_win_at_creation',
        version: 3,
        status: 'active',
        trained_at: new Date('2026-01-05T03:00:00Z'),
        metrics: '{}',
        card: '{}',
        feature_spec: '{}',
        onnx: new Uint8Array([0]),
      })
      .execute();
    const engine = new PgBossEngine({
      databaseUrl: store.databaseUrl,
      db: store.db,
      handlers: {},
      settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off' } }),
      registerSchedules: false,
      tuning: { pollingIntervalSeconds: 0.5 },
    });
    const worker = new PgBossEngine({
      databaseUrl: store.databaseUrl,
      db: store.db,
      handlers: { 'record-rescore': async () => undefined },
      settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off' } }),
      registerSchedules: false,
      tuning: { pollingIntervalSeconds: 0.5 },
    });
    await engine.start();
    await worker.start();
    try {
      await engine.enqueue('sync', { tenantId: 't-acme' }); // nobody works syncs here: it stays queued
      await engine.boss.send(queueOf('record-rescore'), { tenantId: 't-acme', objectType: 'deal', externalIds: [] });
      for (let i = 0; i < 100 && (await engine.boss.findJobs(queueOf('record-rescore'), { queued: true })).length > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500));
      const out = capture();
      const err = capture();
      const code = await main(['status', '--json'], { stdout: out.stream, stderr: err.stream, env: { ...env, LOG_LEVEL: 'silent' } });
      expect(err.text()).toBe('');
      expect(code).toBe(0);
      const { portals } = JSON.parse(out.text()) as { portals: Record<string, unknown>[] };
      expect(portals).toHaveLength(1);
      expect(portals[0]).toMatchObject({
        tenantId: 't-acme',
        modelVersions: { deal_win_at_creation: 3 },
        lastTraining: '2026-01-05T03:00:00.000Z',
        lastSync: null,
        queueDepth: 1,
        deadLetters: 1,
      });
      expect(String(portals[0]?.lastDeadLetter)).toMatch(/record-rescore: .*externalIds/);

      const table = capture();
      await main(['status'], { stdout: table.stream, stderr: err.stream, env: { ...env, LOG_LEVEL: 'silent' } });
      expect(table.text()).toMatch(
        /Acme \(4242\)\s+hubspot\s+private app \(tier unknown\)\s+never\s+2026-01-05 03:00\s+deal_win_at_creation v3\s+1\s+-\s+0\s+1/,
      );
      expect(table.text()).toMatch(/Acme: dead letter — record-rescore/);
    } finally {
      await worker.stop({ graceMs: 1000 });
      await engine.stop({ graceMs: 1000 });
    }
  }, 90_000);
});
