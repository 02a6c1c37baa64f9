// One private-app portal as `closewise serve` runs it: a sandbox portal on a tier, a store, the production job
// handlers and rate budget of a runtime configured with HUBSPOT_ACCESS_TOKEN / HUBSPOT_TIER, the in-process job
// engine, and the tenant provisioned by serve's use case (installPrivateAppPortal), which queues the first sync.

import { type HubSpotSandbox, type SandboxStats, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { loadConfig } from '../../src/config/config.ts';
import type { HubSpotTier } from '../../src/connectors/hubspot/api-limits.ts';
import { InProcessEngine } from '../../src/jobs/in-process-engine.ts';
import { createRuntimeHandlers } from '../../src/jobs/real-handlers.ts';
import { createRuntimeRateBudget } from '../../src/jobs/runtime-budget.ts';
import { loadJobSettings } from '../../src/jobs/settings.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { Runtime } from '../../src/runtime/runtime.ts';
import { resolveEncryptionKey } from '../../src/security/encryption-key.ts';
import { openTestPostgres, type TestStore } from '../../src/test-support/stores.ts';
import { installPrivateAppPortal } from '../../src/use-cases/install-hubspot-private-app.ts';

/** A fixed bench key: the tokens it encrypts are the sandbox's, thrown away with it. */
const BENCH_ENCRYPTION_KEY = 'b'.repeat(64);

export interface PrivateAppPortalOptions {
  portal: PortalData;
  tier: HubSpotTier;
  timeZone: string;
  now: () => number;
  /** The account's daily quota in the sandbox; unset: the tier's (250,000 on Starter). */
  daily?: number;
}

export interface PrivateAppPortal {
  sandbox: HubSpotSandbox;
  store: TestStore;
  engine: InProcessEngine;
  tenantId: string;
  /** The sandbox's counters when the install had run and the first sync was queued. */
  afterInstall: SandboxStats;
  /** performance.now() when the first sync was queued. */
  syncQueuedAt: number;
  /** Sync runs in the run log, oldest first. */
  syncRuns(): Promise<{ outcome: string | null; error: string | null; endedAt: Date | null }[]>;
  stop(): Promise<void>;
}

export async function startPrivateAppPortal(options: PrivateAppPortalOptions): Promise<PrivateAppPortal> {
  const sandbox = await startHubSpotSandbox({
    tier: options.tier,
    timeZone: options.timeZone,
    clock: options.now,
    ...(options.daily ? { limits: { daily: options.daily } } : {}),
  });
  let store: (TestStore & { databaseUrl: string }) | undefined;
  let engine: InProcessEngine | undefined;
  try {
    sandbox.loadPortal(options.portal);
    store = await openTestPostgres();
    // The environment serve reads in private-app mode; schedules off so only the install's sync (and the
    // resume the bench queues) runs.
    const env = {
      HUBSPOT_ACCESS_TOKEN: sandbox.privateAppToken,
      HUBSPOT_TIER: options.tier,
      HUBSPOT_BASE_PATH: sandbox.url,
      CLOSEWISE_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
      CLOSEWISE_SCHEDULE_SYNC: 'off',
      CLOSEWISE_SCHEDULE_RESCORE: 'off',
      CLOSEWISE_SCHEDULE_RETRAIN: 'off',
    };
    const config = { ...loadConfig(env), DATABASE_URL: store.databaseUrl };
    const runtime: Runtime = { config, logger: silentLogger, store, close: async () => undefined };
    const settings = loadJobSettings(env);
    const budget = createRuntimeRateBudget(runtime, settings);
    const handlers = createRuntimeHandlers(runtime, budget, { now: options.now });
    engine = new InProcessEngine({ db: store.db, handlers, settings, now: options.now });
    await engine.start();

    let afterInstall: SandboxStats | undefined;
    let syncQueuedAt = 0;
    const jobs = engine;
    const installed = await installPrivateAppPortal(
      {
        db: store.db,
        encryptionKey: resolveEncryptionKey(config),
        logger: silentLogger,
        basePath: config.HUBSPOT_BASE_PATH,
        // Serve queues the sync here, with training and scoring after it for a new portal; the bench measures
        // the sync alone, so it queues just that.
        onInstalled: async ({ tenant }) => {
          afterInstall = sandbox.stats();
          syncQueuedAt = performance.now();
          await jobs.enqueue('sync', { tenantId: tenant.id });
        },
      },
      config.HUBSPOT_ACCESS_TOKEN as string,
      config.HUBSPOT_TIER,
    );
    const tenantId = installed.tenant.id;
    const db = store.db;
    const opened = store;
    return {
      sandbox,
      store,
      engine,
      tenantId,
      afterInstall: afterInstall as SandboxStats,
      syncQueuedAt,
      syncRuns: async () =>
        (
          await db
            .selectFrom('job_runs')
            .select(['outcome', 'error', 'ended_at'])
            .where('job_type', '=', 'sync')
            .where('tenant_id', '=', tenantId)
            .orderBy('id')
            .execute()
        ).map((r) => ({ outcome: r.outcome, error: r.error, endedAt: r.ended_at })),
      async stop() {
        await jobs.stop({ graceMs: 1000 });
        await sandbox.stop();
        await opened.dispose();
      },
    };
  } catch (error) {
    await engine?.stop({ graceMs: 1000 });
    await sandbox.stop();
    await store?.dispose();
    throw error;
  }
}

/** Polls `check` every 250 ms until it holds; fails after `timeoutMs` saying what it waited for. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
