import { computeSignatureV3, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';
import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { HubSpotConnector } from '@closewise/server/connectors/hubspot/hubspot-connector';
import { createStoreSyncSink } from '@closewise/server/store/sync-sink';
import { upsertTenant } from '@closewise/server/tenants/tenant-repository';
import { openTestPostgres, type TestStore } from '@closewise/server/test-support/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ServeProcess, startServeProcess } from './test-support/serve-process.ts';

const ENCRYPTION_KEY = 'ab'.repeat(32);
const CLIENT_SECRET = 'idempotency-e2e-secret';
/** The origin HubSpot signs for; both processes sit behind it as behind a load balancer. */
const PUBLIC_BASE_URL = 'http://closewise.test';
const KEYS = 50;

const taskPage = z.object({
  results: z.array(z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullable()) })),
  paging: z.object({ next: z.object({ after: z.string() }) }).optional(),
});
const taskResponse = z.object({ taskId: z.string(), created: z.boolean() });

/**
 * issue #18: "Two `closewise serve` processes on one PostgreSQL, the same signed create-task key sent to both
 * concurrently and again after restarting both, 50 keys: exactly 50 tasks in the sandbox portal."
 */
describe('card actions are idempotent across serve processes and restarts', () => {
  let sandbox: HubSpotSandbox;
  let store: (TestStore & { databaseUrl: string }) | undefined;
  let dealIds: string[];
  let env: Record<string, string>;
  const running: ServeProcess[] = [];

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox();
    store = await openTestPostgres();
    const portal = generateSyntheticPortal({ seed: 3, contacts: 40 });
    const { ids } = sandbox.loadPortal(portal);
    const tenant = await upsertTenant(store.db, Buffer.from(ENCRYPTION_KEY, 'hex'), {
      crm: 'hubspot',
      externalId: String(sandbox.portalId),
      name: 'idempotency portal',
      authMode: 'private_app',
      tokens: { accessToken: sandbox.privateAppToken },
    });
    const connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: String(sandbox.portalId),
      store: { db: store.db, tenantId: tenant.id },
    });
    await connector.install();
    await connector.sync(createStoreSyncSink(store.db, tenant.id));
    dealIds = [...ids.deals.values()].slice(0, 10);
    env = {
      DATABASE_URL: store.databaseUrl,
      CLOSEWISE_ENCRYPTION_KEY: ENCRYPTION_KEY,
      HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
      HUBSPOT_BASE_PATH: sandbox.url,
      PUBLIC_BASE_URL,
      CLOSEWISE_JOBS: 'off',
      CLOSEWISE_DATA_DIR: '',
    };
  }, 120_000);

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await sandbox?.stop();
    await store?.dispose();
  });

  async function startBoth(): Promise<[ServeProcess, ServeProcess]> {
    const pair = await Promise.all([startServeProcess(env), startServeProcess(env)]);
    running.push(...pair);
    return pair;
  }

  async function stopBoth(pair: ServeProcess[]): Promise<void> {
    expect(await Promise.all(pair.map((p) => p.stop()))).toEqual([0, 0]);
    running.splice(0, running.length, ...running.filter((p) => !pair.includes(p)));
  }

  /** Keys whose request had to be sent again after the card's 4 s CRM deadline answered 502. */
  const retriedKeys = new Set<number>();

  /**
   * One click's request, signed for the public origin and sent to one process. A 502 (HubSpot slower than the
   * card's deadline, as on a loaded machine) is what a rep answers with "try again": the same key is sent
   * again, which is exactly where a non-idempotent action would create its duplicate.
   */
  async function createTask(process: ServeProcess, key: number) {
    const dealId = dealIds[key % dealIds.length] as string;
    const path = `/api/hubspot/cards/deals/${dealId}/actions/create-task?portalId=${sandbox.portalId}`;
    const rawBody = JSON.stringify({
      idempotencyKey: `e2e-key-${String(key).padStart(4, '0')}`,
      actionId: 'follow-up',
      title: `Idempotency check ${key}`,
      dueDate: '2026-12-01',
    });
    for (let attempt = 1; ; attempt++) {
      const timestamp = String(Date.now());
      const signature = computeSignatureV3(CLIENT_SECRET, { method: 'POST', uri: `${PUBLIC_BASE_URL}${path}`, rawBody, timestamp });
      const response = await fetch(`${process.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp },
        body: rawBody,
      });
      const text = await response.text();
      if (response.status === 502 && attempt < 4) {
        retriedKeys.add(key);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
      expect(response.status, text).toBeOneOf([200, 201]);
      return { key, status: response.status, ...taskResponse.parse(JSON.parse(text)) };
    }
  }

  /** Every key sent to both processes at once, ten keys at a time. */
  async function sendEveryKeyToBoth(pair: ServeProcess[]) {
    const results: Awaited<ReturnType<typeof createTask>>[] = [];
    for (let first = 0; first < KEYS; first += 10) {
      const batch = Array.from({ length: Math.min(10, KEYS - first) }, (_, i) => first + i);
      results.push(...(await Promise.all(batch.flatMap((key) => pair.map((p) => createTask(p, key))))));
    }
    return results;
  }

  /** Tasks this test created, counted through the sandbox portal's own API. */
  async function countOurTasks(): Promise<number> {
    let count = 0;
    let after: string | undefined;
    do {
      const query = new URLSearchParams({ limit: '100', properties: 'hs_task_subject', ...(after ? { after } : {}) });
      const response = await fetch(`${sandbox.url}/crm/v3/objects/tasks?${query}`, {
        headers: { authorization: `Bearer ${sandbox.privateAppToken}` },
      });
      const page = taskPage.parse(await response.json());
      count += page.results.filter((t) => t.properties['hs_task_subject']?.startsWith('Idempotency check ')).length;
      after = page.paging?.next.after;
    } while (after);
    return count;
  }

  it('creates exactly one task per key: 50 keys, two processes, concurrently and after a restart of both', async () => {
    const before = await startBoth();
    const first = await sendEveryKeyToBoth(before);
    await stopBoth(before);
    const after = await startBoth();
    const second = await sendEveryKeyToBoth(after);
    await stopBoth(after);

    // The portal's own count first: it is the acceptance line (and the number a regression shows).
    const tasks = await countOurTasks();
    expect(tasks).toBe(KEYS);
    const all = [...first, ...second];
    for (let key = 0; key < KEYS; key++) {
      const answers = all.filter((a) => a.key === key);
      expect(new Set(answers.map((a) => a.taskId)).size, `key ${key}: one task id in every answer`).toBe(1);
      // A request cut off by the deadline may have created the task after its 502: its retry then answers
      // "already created", so no answer says created (the portal's count above still is exactly one).
      const created = answers.filter((a) => a.created).length;
      if (retriedKeys.has(key)) expect(created, `key ${key}: created at most once`).toBeLessThanOrEqual(1);
      else expect(created, `key ${key}: created once`).toBe(1);
    }
    console.log(JSON.stringify({ test: 'idempotent actions', keys: KEYS, tasks, retriedKeys: retriedKeys.size }));
  }, 180_000);
});
