import type { SettingsValues } from '@closewise/contract';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { writeCardSettings } from '../cards/card-settings.ts';
import type { Database } from '../store/schema.ts';
import { insertTenantRow } from '../store/tables/tenants.ts';
import { openTestPglite, openTestPostgres, type TestStore } from '../test-support/stores.ts';
import type { JobEngine } from './engine.ts';
import { InProcessEngine } from './in-process-engine.ts';
import { FANOUT_QUEUE, PgBossEngine } from './pg-boss-engine.ts';
import type { JobHandlers } from './registry.ts';
import { parseJobSettings } from './settings.ts';

/**
 * The retraining schedule an admin saves on the settings page drives the retrain job, per portal, in both
 * engines, and a change applies without a restart. The process default (weekly, Sunday 03:00) never fires
 * during the test, so a scheduler that ignored the saved schedules would retrain nobody.
 */
const EVERY_MINUTE = '* * * * *';
const NEW_YEAR_ONLY = '0 0 1 1 *';

function values(retrainingCron: string): SettingsValues {
  return {
    varianceThreshold: 0.1,
    stalledDealPercentile: 75,
    lonelyWindowDays: 30,
    retrainingCron,
    excludedProperties: [],
    pipelines: [],
  };
}

async function addTenant(db: Kysely<Database>, id: string): Promise<void> {
  await insertTenantRow(db, {
    id,
    crm: 'hubspot',
    externalId: id,
    name: id,
    authMode: 'private_app',
    tokenCiphertext: null,
    tokenExpiresAt: null,
    settings: {},
  });
}

async function waitFor(probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

type EngineFactory = (store: TestStore & { databaseUrl?: string }, handlers: JobHandlers) => JobEngine;
/** An extra schedule occurrence, as the engine's own scheduler would fire it (pg-boss's cron fires once a minute at most). */
type Tick = (engine: JobEngine) => Promise<void>;

const settings = parseJobSettings({ schedules: { sync: 'off', rescore: 'off' }, concurrency: 2 });
const engines: { name: string; open: () => Promise<TestStore & { databaseUrl?: string }>; create: EngineFactory; tick: Tick }[] = [
  {
    name: 'in-process (node-cron)',
    open: openTestPglite,
    create: (store, handlers) =>
      new InProcessEngine({ db: store.db, handlers, settings, worker: 'embedded', retrainTickCron: '* * * * * *' }),
    // node-cron ticks every second here on its own.
    tick: async () => undefined,
  },
  {
    name: 'pg-boss (PostgreSQL)',
    open: openTestPostgres,
    create: (store, handlers) =>
      new PgBossEngine({
        databaseUrl: store.databaseUrl as string,
        db: store.db,
        handlers,
        settings,
        worker: 'test-worker',
        tuning: {
          pollingIntervalSeconds: 0.5,
          superviseIntervalSeconds: 1,
          retryDelaySeconds: 1,
          retryDelayMaxSeconds: 1,
          holdWaitMs: 200,
        },
      }),
    // What pg-boss's cron sends on each occurrence of the retrain tick (see the registration test).
    tick: async (engine) => {
      await (engine as PgBossEngine).boss.send(FANOUT_QUEUE, { type: 'retrain' });
    },
  },
];

describe.each(engines)('retraining on each portal’s saved schedule: $name', ({ open, create, tick }) => {
  let store: (TestStore & { databaseUrl?: string }) | undefined;
  let engine: JobEngine | undefined;
  afterEach(async () => {
    await engine?.stop({ graceMs: 2000 });
    await store?.dispose();
    engine = undefined;
    store = undefined;
  });

  it('retrains only the portals whose saved schedule is due, and follows a saved change without a restart', async () => {
    store = await open();
    const db = store.db;
    await addTenant(db, 'portal-a');
    await addTenant(db, 'portal-b');
    await writeCardSettings(db, 'portal-a', values(EVERY_MINUTE));
    await writeCardSettings(db, 'portal-b', values(NEW_YEAR_ONLY));
    const started: { tenantId: string; at: number }[] = [];
    engine = create(store, {
      retrain: async ({ tenantId }) => {
        started.push({ tenantId, at: Date.now() });
      },
    });
    await engine.start();

    // The first occurrence comes from the engine's real scheduler (pg-boss: its cron, within about a minute).
    await waitFor(() => started.some((s) => s.tenantId === 'portal-a'), 90_000);
    expect(started.filter((s) => s.tenantId === 'portal-b')).toEqual([]);

    // The admin swaps the schedules on the settings page; the running engine picks it up on its next tick.
    await writeCardSettings(db, 'portal-a', values(NEW_YEAR_ONLY));
    await writeCardSettings(db, 'portal-b', values(EVERY_MINUTE));
    const switchedAt = Date.now();
    await tick(engine);
    await waitFor(() => started.some((s) => s.tenantId === 'portal-b'));
    // A retrain of portal A queued just before the switch may still start; none is queued after it.
    await new Promise((r) => setTimeout(r, 2500));
    const lateA = started.filter((s) => s.tenantId === 'portal-a' && s.at > switchedAt + 1500);
    expect(lateA).toEqual([]);
  }, 150_000);
});
