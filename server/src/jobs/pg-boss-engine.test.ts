import { afterEach, describe, expect, it } from 'vitest';
import { openTestPostgres } from '../test-support/stores.ts';
import { DEAD_LETTER_QUEUE, FANOUT_QUEUE, PgBossEngine, type PgBossEngineOptions, queueOf } from './pg-boss-engine.ts';
import type { JobHandlers } from './registry.ts';
import { parseJobSettings } from './settings.ts';

type Store = Awaited<ReturnType<typeof openTestPostgres>>;

const fast = {
  pollingIntervalSeconds: 0.5,
  heartbeatSeconds: 10,
  superviseIntervalSeconds: 1,
  retryDelaySeconds: 1,
  retryDelayMaxSeconds: 1,
  holdWaitMs: 200,
};

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('pg-boss engine on PostgreSQL', () => {
  let store: Store | undefined;
  const engines: PgBossEngine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.stop({ graceMs: 2000 });
    await store?.dispose();
    store = undefined;
  });

  async function engine(handlers: JobHandlers, overrides: Partial<PgBossEngineOptions> = {}) {
    store ??= await openTestPostgres();
    const e = new PgBossEngine({
      databaseUrl: store.databaseUrl,
      db: store.db,
      handlers,
      settings: parseJobSettings({ concurrency: 2 }),
      tuning: fast,
      worker: `test-${engines.length}`,
      listTenants: async () => [],
      ...overrides,
    });
    engines.push(e);
    await e.start();
    return e;
  }

  it('registers each schedule once however many workers start', async () => {
    const a = await engine({});
    await engine({});
    const schedules = await a.boss.getSchedules(FANOUT_QUEUE);
    expect(schedules.map((s) => [s.key, s.cron]).sort()).toEqual([
      ['rescore', '0 2 * * *'],
      ['retrain', '* * * * *'],
      ['sync', '*/15 * * * *'],
    ]);
  });

  it('forgets the finished and queued jobs whose payload names an erased record, and only those', async () => {
    let runs = 0;
    const e = await engine({
      'record-rescore': async () => {
        runs += 1;
      },
    });
    await e.enqueue('record-rescore', { tenantId: 'p1', objectType: 'contact', externalIds: ['73910284655'] });
    await e.enqueue('record-rescore', { tenantId: 'p1', objectType: 'contact', externalIds: ['42'] });
    await waitFor(async () => runs >= 2);
    const mentions = async (id: string) =>
      (await e.boss.getDb().executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE data::text LIKE $1`, [`%${id}%`])).rows[0].n;
    expect(await mentions('73910284655')).toBe(1);
    expect(await e.forgetRecord('p1', 'contact', '73910284655')).toBe(1);
    expect(await mentions('73910284655')).toBe(0);
    expect(await mentions('"42"')).toBe(1);
    // Another tenant's record with that id is not this one.
    expect(await e.forgetRecord('p2', 'contact', '42')).toBe(0);
  });

  it('dead-letters a job whose payload fails validation, with its reason, without retrying', async () => {
    let calls = 0;
    const e = await engine({
      sync: async () => {
        calls += 1;
      },
    });
    // A producer of another version (or a hand-written SQL insert) can put anything on the queue.
    const id = await e.boss.send(queueOf('sync'), { tenantId: 42 });
    const dead = await waitFor(async () => (await e.boss.findJobs(DEAD_LETTER_QUEUE, { queued: true }))[0]);
    expect(dead.sourceId).toBe(id);
    expect(dead.sourceRetryCount).toBe(0);
    expect(JSON.stringify(dead.sourceOutput)).toContain('tenantId');
    const [original] = await e.boss.findJobs(queueOf('sync'), { id: id ?? '' });
    expect(original?.state).toBe('failed');
    expect(original?.retryCount).toBe(0);
    const runs = await (store as Store).db.selectFrom('job_runs').selectAll().execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.outcome).toBe('dead_letter');
    expect(runs[0]?.error).toMatch(/tenantId/);
    expect(calls).toBe(0);
  });

  it('retries a failing job with backoff, then dead-letters it', async () => {
    let calls = 0;
    const e = await engine({
      retrain: async () => {
        calls += 1;
        throw new Error('model store unavailable');
      },
    });
    const id = await e.enqueue('retrain', { tenantId: 't1' });
    const dead = await waitFor(async () => (await e.boss.findJobs(DEAD_LETTER_QUEUE, { queued: true }))[0], 30_000);
    expect(dead.sourceId).toBe(id);
    expect(calls).toBe(3); // retrain: retryLimit 2 → three attempts
    const runs = await (store as Store).db.selectFrom('job_runs').select(['attempt', 'outcome', 'error']).orderBy('id').execute();
    expect(runs.map((r) => r.outcome)).toEqual(['failed', 'failed', 'dead_letter']);
    expect(runs.map((r) => r.attempt)).toEqual([0, 1, 2]);
    expect(runs[2]?.error).toBe('model store unavailable');
  });

  it('releases a job still running when a graceful stop runs out of time, and another worker finishes it', async () => {
    let first = true;
    const handlers: JobHandlers = {
      rescore: async (_payload, { signal }) => {
        if (!first) return;
        first = false;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, 20_000);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new Error('aborted by shutdown'));
          });
        });
      },
    };
    const a = await engine(handlers, { worker: 'a' });
    await a.enqueue('rescore', { tenantId: 't9' });
    const db = (store as Store).db;
    await waitFor(async () => (await db.selectFrom('job_runs').select('id').where('worker', '=', 'a').execute()).length > 0);
    await a.stop({ graceMs: 300 });
    engines.splice(engines.indexOf(a), 1);
    await engine(handlers, { worker: 'b' });
    await waitFor(
      async () => (await db.selectFrom('job_runs').select('id').where('outcome', '=', 'completed').execute()).length > 0,
      30_000,
    );
    const runs = await db.selectFrom('job_runs').select(['worker', 'outcome']).orderBy('id').execute();
    expect(runs).toEqual([
      { worker: 'a', outcome: 'released' },
      { worker: 'b', outcome: 'completed' },
    ]);
  });

  it('turns a schedule tick into one job per active portal', async () => {
    const synced: string[] = [];
    const e = await engine(
      {
        sync: async ({ tenantId }) => {
          synced.push(tenantId);
        },
      },
      { listTenants: async () => ['p1', 'p2', 'p3'] },
    );
    // What pg-boss's cron sends on each occurrence of the sync schedule.
    await e.boss.send(FANOUT_QUEUE, { type: 'sync' });
    await waitFor(async () => synced.length === 3);
    expect(synced.sort()).toEqual(['p1', 'p2', 'p3']);
  });

  it('coalesces a second sync of a portal while one is queued', async () => {
    const e = await engine({}, { work: false });
    expect(await e.enqueue('sync', { tenantId: 'p1' })).toBeTruthy();
    expect(await e.enqueue('sync', { tenantId: 'p1' })).toBeNull();
    expect(await e.enqueue('sync', { tenantId: 'p2' })).toBeTruthy();
    // Record rescoring does not coalesce: each webhook batch is its own work.
    expect(await e.enqueue('record-rescore', { tenantId: 'p1', objectType: 'deal', externalIds: ['1'] })).toBeTruthy();
    expect(await e.enqueue('record-rescore', { tenantId: 'p1', objectType: 'deal', externalIds: ['1'] })).toBeTruthy();
  });
});
