import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { HubSpotConnector } from '@closewise/server/connectors/hubspot/hubspot-connector';
import { DEFAULT_PORTAL_LIMITS } from '@closewise/server/connectors/hubspot/rate-limiter';
import { loadSyncCursors } from '@closewise/server/store/tables/sync-state';
import { openTestPglite, type TestStore } from '@closewise/server/test-support/stores';
import { syncIntoStore } from '@closewise/server/use-cases/sync-tenant';
import { afterEach, describe, expect, it } from 'vitest';

const TENANT = 'daily-stop';
const PORTAL = generateSyntheticPortal({ seed: 31, contacts: 1_500 });
/** The sandbox's types and the store's, for the streams whose records the store keeps ids of. */
const STREAMS = [
  ['contacts', 'crm_records', 'contact'],
  ['companies', 'crm_records', 'company'],
  ['deals', 'crm_records', 'deal'],
  ['emails', 'activities', 'email'],
  ['calls', 'activities', 'call'],
  ['meetings', 'activities', 'meeting'],
  ['notes', 'activities', 'note'],
  ['tasks', 'activities', 'task'],
] as const;

/**
 * Issue #14: a full sync the private app's daily limit stops resumes the next day from where each stream
 * stopped, reading no record again that reached the store, whether or not its associations had been read:
 * the records stored since a stream's last checkpoint are kept with its position, their associations read
 * first thing on resume. Only the page in flight at the stop (never stored) is read again.
 */
describe('a full sync stopped by the daily limit', () => {
  const open: { sandbox?: HubSpotSandbox; store?: TestStore }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.sandbox?.stop();
      await o.store?.dispose();
    }
  });

  async function storedIds(store: TestStore, table: 'crm_records' | 'activities', type: string): Promise<Set<string>> {
    const rows =
      table === 'crm_records'
        ? await store.db
            .selectFrom('crm_records')
            .select('external_id')
            .where('tenant_id', '=', TENANT)
            .where('object_type', '=', type as never)
            .execute()
        : await store.db
            .selectFrom('activities')
            .select('external_id')
            .where('tenant_id', '=', TENANT)
            .where('kind', '=', type as never)
            .execute();
    return new Set(rows.map((r) => r.external_id));
  }

  async function portal(options: { daily?: number; clock: () => number }) {
    const sandbox = await startHubSpotSandbox({
      tier: 'free',
      timeZone: 'America/New_York',
      clock: options.clock,
      // The test's clock stands still between the days: only the daily quota is the sandbox's to enforce.
      limits: { tenSecondly: false, daily: options.daily ?? false },
    });
    const store = await openTestPglite();
    open.push({ sandbox, store });
    sandbox.loadPortal(PORTAL);
    await store.db
      .insertInto('tenants')
      .values({
        id: TENANT,
        crm: 'hubspot',
        external_id: String(sandbox.portalId),
        name: 'daily',
        auth_mode: 'private_app',
        token_ciphertext: null,
        token_expires_at: null,
        settings: '{}',
      })
      .execute();
    const connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: String(sandbox.portalId),
      timeZone: 'America/New_York',
      now: options.clock,
      // Paced by the sandbox's quota alone, so the test takes seconds, not the 10-second limit's minutes.
      limits: { ...DEFAULT_PORTAL_LIMITS, standard: { max: 1_000, intervalMs: 1_000 } },
    });
    return { sandbox, store, connector };
  }

  it('resumes the next day without reading again any record it had stored', async () => {
    const whole = await portal({ clock: Date.now });
    await syncIntoStore(whole.store.db, TENANT, whole.connector);
    const fullRequests = whole.sandbox.stats().requests;

    let now = Date.parse('2026-06-29T16:00:00.000Z');
    const clock = () => now;
    const daily = await portal({ daily: Math.ceil(fullRequests * 0.6), clock });
    const first = await syncIntoStore(daily.store.db, TENANT, daily.connector);
    expect(first.stoppedEarly?.resumeAt.toISOString()).toBe('2026-06-30T04:00:00.000Z');
    const readsAtStop = new Map(STREAMS.map(([type]) => [type, daily.sandbox.apiReadsPerRecord(type)]));
    const storedAtStop = new Map(
      await Promise.all(STREAMS.map(async ([type, table, kind]) => [type, await storedIds(daily.store, table, kind)] as const)),
    );
    const cursors = await loadSyncCursors(daily.store.db, TENANT);
    expect(Object.keys(cursors).some((k) => k.startsWith('full:'))).toBe(true);

    now = Date.parse('2026-06-30T04:00:00.000Z');
    const second = await syncIntoStore(daily.store.db, TENANT, daily.connector);

    let reread = 0;
    let storedBeforeStop = 0;
    for (const [type] of STREAMS) {
      const before = readsAtStop.get(type) ?? new Map<string, number>();
      const stored = storedAtStop.get(type) ?? new Set<string>();
      storedBeforeStop += stored.size;
      for (const [id, n] of daily.sandbox.apiReadsPerRecord(type)) if (stored.has(id) && n > (before.get(id) ?? 0)) reread++;
    }
    expect(storedBeforeStop).toBeGreaterThan(0);
    expect(reread).toBe(0);
    // The day's quota (60 % of a whole sync) was enough for the rest: nothing was spent reading twice.
    expect(second.stoppedEarly).toBeUndefined();
    // Everything the clean run stored, the two days stored.
    for (const [, table, kind] of STREAMS)
      expect([...(await storedIds(daily.store, table, kind))].sort()).toEqual([...(await storedIds(whole.store, table, kind))].sort());
    const associations = async (s: TestStore) =>
      Number(
        (
          await s.db
            .selectFrom('associations')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('tenant_id', '=', TENANT)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await associations(daily.store)).toBe(await associations(whole.store));
    // The resume's positions are gone with the full sync: the next run is incremental.
    expect(Object.keys(await loadSyncCursors(daily.store.db, TENANT)).filter((k) => k.startsWith('full:'))).toEqual([]);
  }, 300_000);
});
