import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import type { ScoreWrite } from '@closewise/server/connectors/connector';
import { HubSpotConnector } from '@closewise/server/connectors/hubspot/hubspot-connector';
import { openTestPostgres, type TestStore } from '@closewise/server/test-support/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const WORKER = join(import.meta.dirname, 'connector-worker.ts');
const TENANT = 'kill-test';
/** write-back.ts keeps this many batches of 100 in flight. */
const IN_FLIGHT_BATCHES = 4;
const KILL_AFTER_BATCHES = 10;

describe('SIGKILL mid-way, then start again: nothing lost, nothing written twice more than once', () => {
  const portal = generateSyntheticPortal({ seed: 23, contacts: 1500 });
  let sandbox: HubSpotSandbox;
  let store: TestStore & { databaseUrl: string };
  let contactIds: string[];

  beforeAll(async () => {
    // No server-side limit: the worker's own limiter paces it, and a few ms of latency keeps it killable mid-run.
    sandbox = await startHubSpotSandbox({ limits: false, faults: { latencyMs: 3 } });
    const loaded = sandbox.loadPortal(portal);
    contactIds = portal.contacts.map((c) => loaded.ids.contacts.get(c.id) as string);
    store = await openTestPostgres();
    await store.db
      .insertInto('tenants')
      .values({
        id: TENANT,
        crm: 'hubspot',
        external_id: String(sandbox.portalId),
        name: 'kill',
        auth_mode: 'private_app',
        token_ciphertext: null,
        token_expires_at: null,
        settings: '{}',
      })
      .execute();
    await new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: String(sandbox.portalId),
    }).install();
  });
  afterAll(async () => {
    await sandbox?.stop();
    await store?.dispose();
  });

  function worker(
    mode: 'sync' | 'write',
    extra: Record<string, string> = {},
  ): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
    const child = spawn(process.execPath, [WORKER], {
      env: {
        ...process.env,
        WORKER_MODE: mode,
        DATABASE_URL: store.databaseUrl,
        SANDBOX_URL: sandbox.url,
        SANDBOX_TOKEN: sandbox.privateAppToken,
        PORTAL_ID: String(sandbox.portalId),
        TENANT_ID: TENANT,
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
    );
    return { child, done };
  }

  /** Kills the child with SIGKILL once the sandbox has seen `requests` more requests matching `path`. */
  async function killAfter(child: ChildProcess, requests: number, path: (p: string) => boolean): Promise<void> {
    const count = () => Object.entries(sandbox.stats().byPath).reduce((n, [p, c]) => (path(p) ? n + c : n), 0);
    const start = count();
    while (count() - start < requests) {
      if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}) before it could be killed`);
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
  }

  const countRows = async (table: 'crm_records' | 'activities' | 'associations') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select(store.db.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', TENANT)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('a full sync killed mid-way resumes from its checkpoints and ends with every record', async () => {
    const first = worker('sync');
    await killAfter(first.child, 60, (p) => p.startsWith('GET /crm/v3/objects/'));
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const partial = await countRows('crm_records');
    const checkpoints = await store.db
      .selectFrom('sync_state')
      .selectAll()
      .where('tenant_id', '=', TENANT)
      .where('object_type', 'like', 'cursor:full:%')
      .execute();
    expect(checkpoints.length).toBeGreaterThan(0);

    const requestsBefore = sandbox.stats().requests;
    const second = worker('sync');
    const finished = await second.done;
    expect(finished.code, finished.stderr).toBe(0);
    const resumedRequests = sandbox.stats().requests - requestsBefore;

    expect(await countRows('crm_records')).toBe(portal.companies.length + portal.contacts.length + portal.deals.length);
    expect(partial).toBeLessThan(portal.companies.length + portal.contacts.length + portal.deals.length);
    expect(await countRows('activities')).toBe(portal.activities.length);
    const activityLinks = portal.activities.reduce((n, a) => n + a.contactIds.length + a.companyIds.length + a.dealIds.length, 0);
    expect(await countRows('associations')).toBe(portal.associations.length + activityLinks);

    const state = await store.db.selectFrom('sync_state').select(['object_type', 'cursor']).where('tenant_id', '=', TENANT).execute();
    expect(state.filter((s) => s.object_type.startsWith('cursor:full:'))).toEqual([]);
    expect(state.filter((s) => s.object_type.startsWith('cursor:') && !s.object_type.startsWith('cursor:history:')).length).toBe(8);
    // The resumed run read every property's history from its start, so it says so (sync-position.ts HISTORY_SCOPE).
    expect(state.find((s) => s.object_type === 'cursor:history:scope')?.cursor).toBe('model-properties');

    // A fresh full sync for comparison: the resumed run did not start over.
    await store.db.deleteFrom('sync_state').where('tenant_id', '=', TENANT).execute();
    const fullRun = worker('sync');
    const full = JSON.parse((await fullRun.done).stdout) as { requests: number };
    expect(resumedRequests).toBeLessThan(full.requests);
  });

  it('a write-back killed mid-way, started again, writes every score and repeats only batches in flight', async () => {
    const writes: ScoreWrite[] = contactIds.map((id, i) => ({
      objectType: 'contact',
      externalId: id,
      fields: { likelihoodToClose: ((i * 37) % 1000) / 1000, priority: 'high', scoredAt: new Date('2026-11-01T00:00:00Z') },
    }));
    const file = join(mkdtempSync(join(tmpdir(), 'cw-kill-')), 'writes.json');
    writeFileSync(file, JSON.stringify(writes));
    const isUpdate = (p: string) => p === 'POST /crm/v3/objects/contacts/batch/update';

    const first = worker('write', { WORKER_WRITES: file, WORKER_RATE: '20' });
    await killAfter(first.child, KILL_AFTER_BATCHES, isUpdate);
    expect((await first.done).signal).toBe('SIGKILL');
    const second = worker('write', { WORKER_WRITES: file });
    const finished = await second.done;
    expect(finished.code, finished.stderr).toBe(0);
    const result = JSON.parse(finished.stdout) as { written: number; unchanged: number; failed: number };
    expect(result.failed).toBe(0);
    expect(result.written + result.unchanged).toBe(writes.length);
    // Batches HubSpot confirmed before the kill are in the write log, except the ones still in flight.
    expect(result.unchanged).toBeGreaterThanOrEqual((KILL_AFTER_BATCHES - IN_FLIGHT_BATCHES) * 100);

    // How many times did HubSpot record a value for each contact? Read the property history back.
    const timesWritten = new Map<string, number>();
    for (let i = 0; i < contactIds.length; i += 50) {
      const { Client } = await import('@hubspot/api-client');
      const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
      const read = await client.crm.contacts.batchApi.read({
        inputs: contactIds.slice(i, i + 50).map((id) => ({ id })),
        properties: [],
        propertiesWithHistory: ['closewise_contact_priority'],
      });
      for (const r of read.results) timesWritten.set(r.id, r.propertiesWithHistory?.closewise_contact_priority?.length ?? 0);
    }
    const counts = [...timesWritten.values()];
    expect(counts.every((n) => n === 1 || n === 2)).toBe(true);
    // At most the batches in flight when it died were written a second time.
    expect(counts.filter((n) => n === 2).length).toBeLessThanOrEqual(IN_FLIGHT_BATCHES * 100);
    const values = await sandboxValue(contactIds[contactIds.length - 1] as string);
    expect(values).toBe(String((((contactIds.length - 1) * 37) % 1000) / 10));
  });

  async function sandboxValue(id: string): Promise<string | null | undefined> {
    const { Client } = await import('@hubspot/api-client');
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    return (await client.crm.contacts.basicApi.getById(id, ['closewise_likelihood_to_close'])).properties.closewise_likelihood_to_close;
  }
});
