import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.ts';
import { openStore, type Store } from '../store/open-store.ts';
import type { ObjectType } from '../store/schema.ts';
import { enqueueEvents } from '../store/tables/webhook-events.ts';
import { openTestPglite, openTestPostgres, type TestStore } from '../test-support/stores.ts';
import { createWebhookProcessor, type WebhookProcessor } from './webhook-processor.ts';

const quietLogger = () =>
  createLogger({
    level: 'error',
    destination: new Writable({
      write(_chunk, _enc, done) {
        done();
      },
    }),
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A fake HubSpot plus a fake local store: each record has a version in "HubSpot" that the test bumps with
 * every event; `refresh` reads it, waits a while (a slow HubSpot call), then stores what it read. Two
 * refreshes of one record must never overlap, and a stored version must never go backwards (a stale write).
 */
function fakeHubSpot() {
  const hubspot = new Map<string, number>();
  const stored = new Map<string, number>();
  const active = new Set<string>();
  const overlaps: string[] = [];
  const staleWrites: string[] = [];
  let refreshes = 0;
  let rescores = 0;
  let seed = 7;
  const jitter = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return 5 + (seed % 25);
  };
  return {
    hubspot,
    stored,
    overlaps,
    staleWrites,
    counts: () => ({ refreshes, rescores }),
    async refresh(tenantId: string, objectType: ObjectType, objectId: string): Promise<boolean> {
      const key = `${tenantId}/${objectType}/${objectId}`;
      if (active.has(key)) overlaps.push(key);
      active.add(key);
      refreshes++;
      try {
        const read = hubspot.get(key) ?? 0;
        await sleep(jitter());
        const before = stored.get(key) ?? 0;
        if (read < before) staleWrites.push(`${key}: stored ${read} over ${before}`);
        stored.set(key, read);
        return true;
      } finally {
        active.delete(key);
      }
    },
    async onRecordChanged() {
      rescores++;
    },
  };
}

async function addTenant(store: Store) {
  await store.db
    .insertInto('tenants')
    .values({
      id: 't1',
      crm: 'hubspot',
      external_id: '1',
      name: 'p',
      auth_mode: 'private_app',
      token_ciphertext: null,
      token_expires_at: null,
      settings: '{}',
    })
    .execute();
}

/**
 * Several records, each changing many times in HubSpot; every change is queued as an event and every
 * processor is kicked, the way each `closewise serve` process kicks its own on each webhook it receives.
 */
async function runWaves(stores: Store[], processors: WebhookProcessor[], fake: ReturnType<typeof fakeHubSpot>) {
  const records = ['101', '102', '103', '104', '105'];
  const waves = 12;
  let eventNo = 0;
  for (let wave = 0; wave < waves; wave++) {
    for (const [i, objectId] of records.entries()) {
      const key = `t1/contact/${objectId}`;
      fake.hubspot.set(key, (fake.hubspot.get(key) ?? 0) + 1);
      eventNo++;
      // Alternate which process receives the webhook.
      await enqueueEvents((stores[(wave + i) % stores.length] as Store).db, [
        {
          tenantId: 't1',
          subscriptionId: 's1',
          eventId: String(eventNo),
          occurredAt: 1_700_000_000_000 + eventNo,
          objectType: 'contact',
          objectId,
          subscriptionType: 'object.propertyChange',
          propertyName: 'lifecyclestage',
        },
      ]);
    }
    for (const processor of processors) processor.kick();
    await sleep(8);
  }
  // Nothing but the processors' own loops finishes the queue: no extra kick after the last wave.
  for (let i = 0; i < 3; i++) await Promise.all(processors.map((p) => p.idle()));
  return { records, events: eventNo };
}

async function assertQueueWorked(store: Store, fake: ReturnType<typeof fakeHubSpot>, records: string[], events: number) {
  expect(fake.overlaps).toEqual([]);
  expect(fake.staleWrites).toEqual([]);
  const rows = await store.db
    .selectFrom('webhook_events')
    .select(['status', 'object_id', 'occurred_at', 'processed_at'])
    .orderBy('occurred_at')
    .execute();
  expect(rows).toHaveLength(events);
  expect(rows.filter((r) => r.status !== 'done')).toEqual([]);
  // Per-record order: a later event of a record is never marked done before an earlier one.
  for (const objectId of records) {
    const done = rows.filter((r) => r.object_id === objectId).map((r) => (r.processed_at as Date).getTime());
    expect(done).toEqual([...done].sort((a, b) => a - b));
  }
  // Every record ends on HubSpot's latest state.
  for (const objectId of records) {
    const key = `t1/contact/${objectId}`;
    expect(fake.stored.get(key)).toBe(fake.hubspot.get(key));
  }
  expect(await store.db.selectFrom('webhook_record_leases').selectAll().execute()).toEqual([]);
  // Collapsing is allowed (one refresh covers all pending events of a record), duplicates of effect are not.
  expect(fake.counts().refreshes).toBeLessThanOrEqual(events);
  expect(fake.counts().rescores).toBe(fake.counts().refreshes);
}

describe('webhook processor, several processes on one PostgreSQL', () => {
  let primary: TestStore & { databaseUrl: string };
  let secondary: Store;
  let third: Store;

  beforeAll(async () => {
    primary = await openTestPostgres();
    // Separate pools on the same database, as separate `closewise serve` processes would have.
    secondary = await openStore({ databaseUrl: primary.databaseUrl, maxConnections: 4 });
    third = await openStore({ databaseUrl: primary.databaseUrl, maxConnections: 4 });
    await addTenant(primary);
  });
  afterAll(async () => {
    await third?.close();
    await secondary?.close();
    await primary?.dispose();
  });

  it('keeps one record’s refreshes strictly serial across processes, in order, each event done once', async () => {
    const fake = fakeHubSpot();
    const stores: Store[] = [primary, secondary, third];
    const processors = stores.map((store) =>
      createWebhookProcessor({ db: store.db, logger: quietLogger(), refresh: fake.refresh, onRecordChanged: fake.onRecordChanged }),
    );
    const { records, events } = await runWaves(stores, processors, fake);
    await assertQueueWorked(primary, fake, records, events);
  });
});

describe('webhook processor leases', () => {
  let store: TestStore & { databaseUrl: string };
  beforeAll(async () => {
    store = await openTestPostgres();
    await addTenant(store);
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it('leaves a record another process holds alone, and takes over a crashed holder’s expired lease', async () => {
    const fake = fakeHubSpot();
    const processor = createWebhookProcessor({
      db: store.db,
      logger: quietLogger(),
      refresh: fake.refresh,
      onRecordChanged: fake.onRecordChanged,
    });
    const event = (eventId: string, objectId: string) => ({
      tenantId: 't1',
      subscriptionId: 's1',
      eventId,
      occurredAt: 1_700_000_000_000 + Number(eventId),
      objectType: 'contact' as const,
      objectId,
      subscriptionType: 'object.propertyChange',
      propertyName: 'lifecyclestage',
    });
    await enqueueEvents(store.db, [event('1', 'live'), event('2', 'dead')]);
    await store.db
      .insertInto('webhook_record_leases')
      .values([
        { tenant_id: 't1', object_type: 'contact', object_id: 'live', holder: 'other', expires_at: new Date(Date.now() + 60_000) },
        { tenant_id: 't1', object_type: 'contact', object_id: 'dead', holder: 'crashed', expires_at: new Date(Date.now() - 1000) },
      ])
      .execute();
    expect(await processor.processPending()).toEqual({ records: 1, events: 1, failed: 0 });
    const rows = await store.db.selectFrom('webhook_events').select(['object_id', 'status']).orderBy('object_id').execute();
    expect(rows).toEqual([
      { object_id: 'dead', status: 'done' },
      { object_id: 'live', status: 'pending' },
    ]);
    const leases = await store.db.selectFrom('webhook_record_leases').select(['object_id', 'holder']).execute();
    expect(leases).toEqual([{ object_id: 'live', holder: 'other' }]);
  });
});

describe('webhook processor, one process on PGlite', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestPglite();
    await addTenant(store);
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it('retries a failed refresh on its own timer, without a new webhook', async () => {
    let calls = 0;
    const processor = createWebhookProcessor({
      db: store.db,
      logger: quietLogger(),
      refresh: async () => {
        calls++;
        if (calls === 1) throw new Error('HubSpot answered 502');
        return true;
      },
      onRecordChanged: async () => undefined,
    });
    await enqueueEvents(store.db, [
      {
        tenantId: 't1',
        subscriptionId: 's1',
        eventId: 'retry-1',
        occurredAt: 1_700_000_000_000,
        objectType: 'contact',
        objectId: 'retry',
        subscriptionType: 'object.propertyChange',
        propertyName: 'lifecyclestage',
      },
    ]);
    const status = async () =>
      (await store.db.selectFrom('webhook_events').select('status').where('object_id', '=', 'retry').executeTakeFirstOrThrow()).status;
    processor.kick();
    await processor.idle();
    expect([calls, await status()]).toEqual([1, 'pending']);
    const stop = processor.retryEvery(20);
    for (let waited = 0; waited < 2000 && (await status()) !== 'done'; waited += 20) await sleep(20);
    await stop();
    expect([calls, await status()]).toEqual([2, 'done']);
    // The store is shared with the next test, which counts every event.
    await store.db.deleteFrom('webhook_events').where('object_id', '=', 'retry').execute();
  });

  it('works the same queue path on the embedded store', async () => {
    const fake = fakeHubSpot();
    const processor = createWebhookProcessor({
      db: store.db,
      logger: quietLogger(),
      refresh: fake.refresh,
      onRecordChanged: fake.onRecordChanged,
    });
    const { records, events } = await runWaves([store], [processor], fake);
    await assertQueueWorked(store, fake, records, events);
  });
});
