import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { hubSpotApiLimits } from '@closewise/server/connectors/hubspot/api-limits';
import { installHubSpotPrivateApp } from '@closewise/server/connectors/registry';
import { InProcessEngine } from '@closewise/server/jobs/in-process-engine';
import { createMemoryRateBudget, plannedLimit } from '@closewise/server/jobs/rate-budget';
import { createRealHandlers } from '@closewise/server/jobs/real-handlers';
import { parseJobSettings } from '@closewise/server/jobs/settings';
import { readPortalStatus } from '@closewise/server/jobs/status';
import { selectCrmApiPause } from '@closewise/server/store/tables/crm-api-pauses';
import { openTestPglite, type TestStore } from '@closewise/server/test-support/stores';
import { afterEach, describe, expect, it } from 'vitest';

const KEY = Buffer.from('d'.repeat(64), 'hex');
const CONTACTS = 3_000;
const PORTAL = generateSyntheticPortal({ seed: 5, contacts: CONTACTS, deals: 300, companies: 100 });
/**
 * Ten minutes before midnight in New York (EDT): the sync spends the day's quota long before the day ends, however
 * slow the machine; the test then moves the clock to midnight instead of waiting for it.
 */
const START = Date.parse('2026-06-30T03:50:00.000Z');
const MIDNIGHT_NEW_YORK = '2026-06-30T04:00:00.000Z';

/** Runs at the wall clock's pace from START (the sandbox, the connector and the scheduler share it); `jumpTo` moves it on. */
function shiftedClock(start: number): (() => number) & { jumpTo: (t: number) => void } {
  let offset = start - Date.now();
  const clock = () => Date.now() + offset;
  return Object.assign(clock, {
    jumpTo: (t: number) => {
      offset = t - Date.now();
    },
  });
}

const contactPages = (sandbox: HubSpotSandbox) => sandbox.stats().byPath['GET /crm/v3/objects/contacts'] ?? 0;

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Issue #14 (c): a Free-tier private-app portal, HubSpot's 100 / 10 s enforced by the sandbox: the sync stays at
 * 0 × 429; with a daily quota smaller than the sync, it stops at the quota with its cursors stored, the tenant
 * reads "daily API limit reached; resumes at <midnight in the portal's zone>", the scheduler runs the sync at
 * that moment (from the RateLimitedError's resume time), and the second day continues from the cursors.
 */
describe('a HubSpot private app on the Free tier', () => {
  const open: { sandbox?: HubSpotSandbox; store?: TestStore; engine?: InProcessEngine }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.engine?.stop({ graceMs: 1000 });
      await o.sandbox?.stop();
      await o.store?.dispose();
    }
  });

  async function portalWithServer(options: { daily?: number; clock: () => number }) {
    const sandbox = await startHubSpotSandbox({
      tier: 'free',
      timeZone: 'America/New_York',
      clock: options.clock,
      ...(options.daily ? { limits: { daily: options.daily } } : {}),
    });
    const store = await openTestPglite();
    const entry: (typeof open)[number] = { sandbox, store };
    open.push(entry);
    sandbox.loadPortal(PORTAL);
    const installed = await installHubSpotPrivateApp(store.db, KEY, {
      basePath: sandbox.url,
      accessToken: sandbox.privateAppToken,
      tier: 'free',
    });
    const budget = createMemoryRateBudget(
      plannedLimit({ requests: hubSpotApiLimits('private_app', 'free').tenSecondly, windowMs: 10_000 }, 0.95),
    );
    const handlers = createRealHandlers({
      db: store.db,
      encryptionKey: KEY,
      hubSpotBasePath: sandbox.url,
      hubSpotPrivateAppTier: 'free',
      budget,
      now: options.clock,
    });
    const off = { sync: 'off', rescore: 'off', retrain: 'off' } as const;
    const engine = new InProcessEngine({
      db: store.db,
      handlers,
      settings: parseJobSettings({ schedules: off }),
      now: options.clock,
      retryDelayMs: 500,
    });
    entry.engine = engine;
    await engine.start();
    const contactsStored = async () =>
      Number(
        (
          await store.db
            .selectFrom('crm_records')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('tenant_id', '=', installed.tenant.id)
            .where('object_type', '=', 'contact')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const syncRuns = async () =>
      store.db
        .selectFrom('job_runs')
        .select(['outcome', 'error'])
        .where('job_type', '=', 'sync')
        .where('tenant_id', '=', installed.tenant.id)
        .execute();
    return { sandbox, store, engine, tenantId: installed.tenant.id, contactsStored, syncRuns };
  }

  it('syncs every contact with 0 × 429 against 100 / 10 s, and a spent daily quota resumes at midnight without re-reading', async () => {
    // Day without a quota: what one whole sync costs, and that it never hits the 10-second limit.
    const whole = await portalWithServer({ clock: Date.now });
    whole.sandbox.resetStats();
    const started = Date.now();
    await whole.engine.enqueue('sync', { tenantId: whole.tenantId });
    await until(async () => (await whole.syncRuns()).some((r) => r.outcome === 'completed'), 240_000);
    const full = whole.sandbox.stats();
    expect(await whole.contactsStored()).toBe(CONTACTS);
    expect(full.rateLimited).toBe(0);
    const fullContactPages = contactPages(whole.sandbox);
    console.log(
      JSON.stringify({
        test: 'free tier full sync',
        contacts: CONTACTS,
        requests: full.requests,
        rateLimited: full.rateLimited,
        ms: Date.now() - started,
      }),
    );

    // The same portal with a day's quota of 75 % of that sync (a stop re-reads up to one association batch per stream), ten minutes before the portal's midnight.
    const clock = shiftedClock(START);
    const quota = Math.ceil(full.requests * 0.75);
    const daily = await portalWithServer({ daily: quota, clock });
    daily.sandbox.resetStats();
    await daily.engine.enqueue('sync', { tenantId: daily.tenantId });
    await until(async () => (await selectCrmApiPause(daily.store.db, daily.tenantId)) !== null, 120_000);
    const pause = await selectCrmApiPause(daily.store.db, daily.tenantId);
    expect(pause?.resumeAt.toISOString()).toBe(MIDNIGHT_NEW_YORK);
    const [status] = await readPortalStatus(daily.store.db, null, new Date(clock()));
    expect(status?.paused).toBe(`daily API limit reached; resumes at ${MIDNIGHT_NEW_YORK}`);
    expect(status?.mode).toBe('private app (free)');
    const dayOne = daily.sandbox.stats();
    const dayOneContactPages = contactPages(daily.sandbox);
    const storedDayOne = await daily.contactsStored();
    expect(storedDayOne).toBeLessThan(CONTACTS);
    // Only the stop itself was refused: at most one DAILY 429 per stream in flight (3 object types + 5
    // engagement kinds list side by side), none retried.
    expect(dayOne.rateLimited).toBeGreaterThan(0);
    expect(dayOne.rateLimited).toBeLessThanOrEqual(8);
    expect(clock()).toBeLessThan(Date.parse(MIDNIGHT_NEW_YORK));

    // Nothing runs before the reset: the queued sync waits for midnight.
    const requestsDuringPause = daily.sandbox.stats().requests;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(daily.sandbox.stats().requests).toBe(requestsDuringPause);

    // Midnight in the portal's zone: the scheduler runs the sync queued for the reset; the second day finishes
    // it from the stored cursors.
    clock.jumpTo(Date.parse(MIDNIGHT_NEW_YORK) + 1_000);
    await until(
      async () =>
        (await daily.syncRuns()).some((r) => r.outcome === 'completed') &&
        (await selectCrmApiPause(daily.store.db, daily.tenantId)) === null,
      240_000,
    );
    const runs = await daily.syncRuns();
    expect(runs.filter((r) => r.outcome === 'completed')).toHaveLength(2);
    expect(await daily.contactsStored()).toBe(CONTACTS);
    const dayTwoContactPages = contactPages(daily.sandbox) - dayOneContactPages;
    // Day two read only what day one had not stored: at most one association batch (1,000 contacts = 20 pages
    // of 50) was read again, the contacts' position moving only once their associations are stored.
    expect(dayOneContactPages + dayTwoContactPages).toBeLessThanOrEqual(fullContactPages + 20);
    expect(dayTwoContactPages).toBeLessThan(fullContactPages);
    const total = daily.sandbox.stats();
    console.log(
      JSON.stringify({
        test: 'daily limit resume',
        quota,
        dayOneRequests: dayOne.requests,
        dayOneContactsStored: storedDayOne,
        dayTwoRequests: total.requests - dayOne.requests,
        contactPages: { wholeSync: fullContactPages, dayOne: dayOneContactPages, dayTwo: dayTwoContactPages },
        rateLimited: total.rateLimited,
      }),
    );
  }, 600_000);
});
