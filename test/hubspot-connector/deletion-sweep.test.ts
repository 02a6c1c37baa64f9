import type { HubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import type { SyncCursors } from '@closewise/server/connectors/connector';
import type { HubSpotConnector } from '@closewise/server/connectors/hubspot/hubspot-connector';
import { DEFAULT_DELETION_SWEEP_MS } from '@closewise/server/connectors/hubspot/incremental-sync';
import { syncPortal } from '@closewise/server/connectors/hubspot/sync';
import { createStoreSyncSink } from '@closewise/server/store/sync-sink';
import { type InstalledHubSpotTenant, installHubSpotTenant } from '@closewise/server/test-support/hubspot-tenant';
import type { TestStore } from '@closewise/server/test-support/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ARCHIVED = 5_000;
/** List pages of archived objects, all eight types (the only GET list calls an incremental sync makes). */
const archivedListPages = (sandbox: HubSpotSandbox) =>
  Object.entries(sandbox.stats().byPath)
    .filter(([path]) => /^GET \/crm\/v3\/objects\/[a-z]+$/.test(path))
    .reduce((n, [, count]) => n + count, 0);

/**
 * Deletions cost a bounded number of requests per run: HubSpot's archived list can only be read whole, so
 * an incremental sync reads it at most once per sweep interval (6 h by default), not every 15 minutes.
 * With 5,000 archived contacts, the first incremental run reads them all (50 pages), the next runs none,
 * and a run after the interval reads them once more.
 */
describe('deletion sweep', () => {
  const portal = generateSyntheticPortal({ seed: 44, contacts: 40 });
  let sandbox: HubSpotSandbox;
  let store: TestStore;
  let connector: HubSpotConnector;
  let tenantId: string;
  let installed: InstalledHubSpotTenant | undefined;
  let cursors: SyncCursors = {};

  beforeAll(async () => {
    installed = await installHubSpotTenant(portal, 'deletion sweep portal');
    ({ sandbox, store, connector, tenantId } = installed);
  }, 120_000);
  afterAll(async () => {
    await installed?.stop();
  });

  async function run(now: number) {
    sandbox.resetStats();
    const result = await syncPortal(connector.api, createStoreSyncSink(store.db, tenantId), { cursors, now: () => now });
    cursors = result.nextCursors;
    return { result, pages: archivedListPages(sandbox) };
  }

  it('reads the archived lists once per interval, not on every run', async () => {
    const start = Date.now();
    await run(start); // the full sync
    for (let i = 0; i < ARCHIVED; i++) {
      const id = sandbox.simulateUserCreate('contacts', { email: `gone${i}@example.com` });
      sandbox.simulateUserArchive('contacts', id);
    }

    const first = await run(start + 60_000);
    expect(first.result.counts['archived:contact']).toBe(ARCHIVED);
    // Contacts: 5,000 / 100 per page; the seven other types one page each.
    expect(first.pages).toBe(ARCHIVED / 100 + 7);

    const second = await run(start + 15 * 60_000);
    expect(second.pages).toBe(0);
    expect(second.result.counts['archived:contact']).toBe(0);
    const third = await run(start + 30 * 60_000);
    expect(third.pages).toBe(0);

    // Past the interval: one whole sweep again (the backstop for missed deletion webhooks and engagements).
    const swept = await run(start + 60_000 + DEFAULT_DELETION_SWEEP_MS);
    expect(swept.pages).toBe(ARCHIVED / 100 + 7);
    const archived = await store.db
      .selectFrom('crm_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('archived', '=', true)
      .executeTakeFirstOrThrow();
    // Never synced live, so there is nothing to mark: the sweep only costs requests here.
    expect(Number(archived.n)).toBe(0);
  }, 180_000);
});
