import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError } from '../errors/errors.ts';
import { openTestPglite, type TestStore } from '../test-support/stores.ts';
import { InProcessEngine } from './in-process-engine.ts';
import type { JobHandlers } from './registry.ts';
import { parseJobSettings } from './settings.ts';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    });
  });

/** Epoch ms of a logged time; NaN (failing any comparison) when it is missing. */
const timeOf = (value: Date | null | undefined) => value?.getTime() ?? Number.NaN;

describe('in-process engine on the embedded store', () => {
  // One embedded store for the file (opening PGlite takes seconds); each test starts from an empty run log.
  let store: TestStore | undefined;
  let engine: InProcessEngine | undefined;
  beforeAll(async () => {
    store = await openTestPglite();
  });
  afterAll(async () => {
    await store?.dispose();
  });
  afterEach(async () => {
    await engine?.stop({ graceMs: 100 });
    engine = undefined;
    await (store as TestStore).db.deleteFrom('job_runs').execute();
  });

  async function start(handlers: JobHandlers, schedules: Record<string, string>, listTenants = async () => ['p1'], holdWaitMs = 5000) {
    engine = new InProcessEngine({
      db: (store as TestStore).db,
      handlers,
      settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off', ...schedules }, concurrency: 3 }),
      worker: 'embedded',
      listTenants,
      retryDelayMs: 20,
      holdWaitMs,
    });
    await engine.start();
    return engine;
  }

  async function runs() {
    return (store as TestStore).db.selectFrom('job_runs').selectAll().orderBy('id').execute();
  }

  it('never starts a scheduled job twice while it outlasts its interval', async () => {
    let ticks = 0;
    let running = 0;
    let maxRunning = 0;
    await start(
      {
        sync: async (_payload, { signal }) => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          try {
            await sleep(2300, signal);
          } finally {
            running -= 1;
          }
        },
      },
      // Every second (node-cron's seconds field): the job takes 2.3 intervals.
      { sync: '* * * * * *' },
      async () => {
        ticks += 1;
        return ['p1'];
      },
    );
    await sleep(5600);
    await engine?.stop({ graceMs: 3000 });
    const log = (await runs()).filter((r) => r.job_type === 'sync');
    expect(maxRunning).toBe(1);
    expect(log.length).toBeGreaterThanOrEqual(2);
    expect(ticks).toBeGreaterThan(log.length); // ticks during a run were dropped, not queued
    for (let i = 1; i < log.length; i++) {
      const previous = log[i - 1];
      expect(previous?.ended_at).not.toBeNull();
      expect(timeOf(log[i]?.started_at)).toBeGreaterThanOrEqual(timeOf(previous?.ended_at));
    }
  });

  it('rejects an invalid payload at enqueue, naming the field', async () => {
    const e = await start({ sync: async () => undefined }, {});
    await expect(e.enqueue('sync', { tenantId: '' })).rejects.toThrow(BadInputError);
    await expect(e.enqueue('write-back', { tenantId: 'p', shard: 3, shards: 2 })).rejects.toThrow(/shard: shard must be less than shards/);
  });

  it('retries a failing job with backoff and then dead-letters it with its reason', async () => {
    let calls = 0;
    const e = await start(
      {
        'write-back': async () => {
          calls += 1;
          throw new Error('CRM down');
        },
      },
      {},
    );
    await e.enqueue('write-back', { tenantId: 'p1', shard: 0, shards: 1 });
    for (let i = 0; i < 100 && e.deadLetters.length === 0; i++) await sleep(50);
    expect(e.deadLetters).toHaveLength(1);
    expect(e.deadLetters[0]?.reason).toBe('CRM down');
    expect(calls).toBe(6); // write-back: retryLimit 5 → six attempts, then no more
    await sleep(300);
    expect(calls).toBe(6);
    expect((await runs()).map((r) => r.outcome)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'dead_letter']);
  });

  it('holds a portal: a retrain waits for the sync of the same portal, other portals run alongside', async () => {
    const active = new Map<string, number>();
    let overlap = false;
    const work = async (payload: { tenantId: string }) => {
      const n = (active.get(payload.tenantId) ?? 0) + 1;
      active.set(payload.tenantId, n);
      if (n > 1) overlap = true;
      await sleep(300);
      active.set(payload.tenantId, n - 1);
    };
    const e = await start({ sync: work, retrain: work, rescore: work }, {});
    await e.enqueue('sync', { tenantId: 'a' });
    await e.enqueue('retrain', { tenantId: 'a' });
    await e.enqueue('rescore', { tenantId: 'b' });
    for (let i = 0; i < 100 && (await runs()).filter((r) => r.outcome === 'completed').length < 3; i++) await sleep(50);
    const log = await runs();
    expect(log.filter((r) => r.outcome === 'completed')).toHaveLength(3);
    expect(overlap).toBe(false);
    const [syncA, retrainA] = [log.find((r) => r.job_type === 'sync'), log.find((r) => r.job_type === 'retrain')];
    expect(timeOf(retrainA?.started_at)).toBeGreaterThanOrEqual(timeOf(syncA?.ended_at));
  });

  it('skips, rather than dead-letters, a job whose portal stays busy through its retries', async () => {
    let retrainDone = false;
    const e = await start(
      {
        retrain: async () => {
          await sleep(1500);
          retrainDone = true;
        },
        sync: async () => undefined,
      },
      {},
      undefined,
      30,
    );
    await e.enqueue('retrain', { tenantId: 'a' });
    await sleep(100);
    await e.enqueue('sync', { tenantId: 'a' });
    for (let i = 0; i < 100 && !(await runs()).some((r) => r.outcome === 'skipped'); i++) await sleep(50);
    expect(retrainDone).toBe(false);
    const sync = (await runs()).filter((r) => r.job_type === 'sync');
    expect(sync.map((r) => [r.outcome, r.attempt])).toEqual([['skipped', 3]]);
    expect(sync[0]?.error).toMatch(/portal a is held/);
    expect(e.deadLetters).toHaveLength(0);
    // The skip freed the key: the next tick's sync is accepted.
    expect(await e.enqueue('sync', { tenantId: 'a' })).toBeTruthy();
  });

  it('releases a job still running when the shutdown grace is over', async () => {
    const e = await start({ retrain: (_p, { signal }) => sleep(10_000, signal) }, {});
    await e.enqueue('retrain', { tenantId: 'p1' });
    await sleep(200);
    await e.stop({ graceMs: 200 });
    const log = await runs();
    expect(log.map((r) => r.outcome)).toEqual(['released']);
    expect(e.deadLetters).toHaveLength(0);
  });
});
