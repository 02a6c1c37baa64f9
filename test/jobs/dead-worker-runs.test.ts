import { Writable } from 'node:stream';
import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { main } from '@closewise/server/cli/main';
import { PgBossEngine } from '@closewise/server/jobs/pg-boss-engine';
import { parseJobSettings } from '@closewise/server/jobs/settings';
import { startWorkerProcess, type WorkerProcess } from '@closewise/server/jobs/test-support/worker-process';
import { openTestPostgres } from '@closewise/server/test-support/stores';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const LEASE_MS = 2000;

/**
 * Issue #18: a job attempt whose worker was SIGKILLed used to stay "running" in `closewise status` forever
 * and the failure count stayed 0. Its run's lease is no longer renewed, so once it expires the run is
 * closed as failed and counted.
 */
describe('a worker killed mid-job', () => {
  let store: Awaited<ReturnType<typeof openTestPostgres>>;
  let sandbox: HubSpotSandbox;
  let producer: PgBossEngine;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    store = await openTestPostgres();
    sandbox = await startHubSpotSandbox({ limits: false });
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'doomed@example.com' }, associations: [] });
    await store.db
      .insertInto('tenants')
      .values({
        id: 't-doomed',
        crm: 'hubspot',
        external_id: String(sandbox.portalId),
        name: 'Doomed',
        auth_mode: 'private_app',
        token_ciphertext: null,
        token_expires_at: null,
        settings: '{}',
      })
      .execute();
    await store.db
      .insertInto('models')
      .values({
        tenant_id: 't-doomed',
        target: 'contact_close_90d',
        version: 1,
        status: 'active',
        trained_at: new Date(),
        metrics: '{}',
        card: '{}',
        feature_spec: '{}',
        onnx: new Uint8Array([0]),
      })
      .execute();
    await store.db
      .insertInto('crm_records')
      .values({
        tenant_id: 't-doomed',
        object_type: 'contact',
        external_id: contact.id,
        properties: '{}',
        created_at: null,
        updated_at: null,
        archived: false,
      })
      .execute();
    producer = new PgBossEngine({
      databaseUrl: store.databaseUrl,
      db: store.db,
      handlers: {},
      settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off' } }),
      work: false,
      registerSchedules: false,
    });
    await producer.start();
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await producer?.stop({ graceMs: 1000 });
    await sandbox?.stop();
    await store?.dispose();
  });

  it('shows the killed attempt as failed in closewise status once its lease expired', async () => {
    // The rescoring pauses for ten minutes inside the job: it is running when the worker dies.
    worker = await startWorkerProcess('w-doomed', {
      DATABASE_URL: store.databaseUrl,
      SANDBOX_URL: sandbox.url,
      SANDBOX_TOKEN: sandbox.privateAppToken,
      PAUSE_MS: '600000',
      RUN_LEASE_MS: String(LEASE_MS),
    });
    await producer.enqueue('rescore', { tenantId: 't-doomed' });
    let open: { id: number } | undefined;
    for (let i = 0; i < 300 && !open; i++) {
      open = await store.db
        .selectFrom('job_runs')
        .select('id')
        .where('ended_at', 'is', null)
        .where('worker', '=', 'w-doomed')
        .executeTakeFirst();
      if (!open) await new Promise((r) => setTimeout(r, 50));
    }
    expect(open).toBeDefined();
    worker.child.kill('SIGKILL');
    expect((await worker.exited).signal).toBe('SIGKILL');
    await new Promise((r) => setTimeout(r, LEASE_MS + 500));

    let text = '';
    const stdout = new Writable({
      write(chunk, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const code = await main(['status', '--json'], {
      stdout,
      stderr: new Writable({ write: (_c, _e, done) => done() }),
      env: { DATABASE_URL: store.databaseUrl, CLOSEWISE_ENCRYPTION_KEY: 'a'.repeat(64), LOG_LEVEL: 'silent' },
    });
    expect(code).toBe(0);
    const { portals } = JSON.parse(text) as {
      portals: { tenantId: string; running: string[]; failures24h: number; lastFailure: string | null }[];
    };
    const portal = portals.find((p) => p.tenantId === 't-doomed');
    expect(portal?.running).toEqual([]);
    expect(portal?.failures24h).toBe(1);
    expect(portal?.lastFailure).toMatch(/^rescore: the worker stopped renewing this run/);
    const run = await store.db
      .selectFrom('job_runs')
      .selectAll()
      .where('id', '=', open?.id as number)
      .executeTakeFirstOrThrow();
    expect(run.outcome).toBe('failed');
    expect(run.ended_at).not.toBeNull();
  }, 120_000);
});
