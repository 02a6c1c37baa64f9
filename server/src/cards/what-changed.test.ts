import { dealCardSchema } from '@closewise/contract';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubSpotCardApiDeps } from '../http/hubspot-cards/deps.ts';
import { scoreTenant, trainTenantModels } from '../scoring/index.ts';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import { selectScore } from '../store/tables/scores.ts';
import { type InstalledHubSpotTenant, installHubSpotTenant } from '../test-support/hubspot-tenant.ts';
import { createStoreCardDeps } from './hubspot-card-deps.ts';

/** "What changed" end to end: sandbox → sync → train → score, change one deal's amount, sync → score again → card. */
describe('what changed since the previous score', () => {
  const portal = generateSyntheticPortal({ seed: 11, contacts: 400 });
  const now = new Date(portal.now);
  const later = new Date(now.getTime() + 3_600_000);
  let installed: InstalledHubSpotTenant | undefined;
  let deps: HubSpotCardApiDeps;

  beforeAll(async () => {
    // The sandbox stamps edits half-way between the two scorings, so the second one sees them (point in time).
    installed = await installHubSpotTenant(portal, 'p', { clock: () => now.getTime() + 1_800_000, limits: false });
    const { store, connector, tenantId } = installed;
    await connector.sync(createStoreSyncSink(store.db, tenantId));
    await trainTenantModels(store.db, tenantId, { now, seed: 11 });
    await scoreTenant(store.db, tenantId, { now });
    deps = createStoreCardDeps({
      db: store.db,
      clientSecret: 's',
      scoringNow: () => later,
      connectors: { forTenant: async () => connector },
    });
  }, 240_000);
  afterAll(async () => {
    await installed?.stop();
  });

  it('is null on a first score, then gives the stored probability change and the changed factor as top mover', async () => {
    const { store, connector, tenantId, sandbox, ids } = installed!;
    const open = portal.deals.find(
      (d) => !['closedwon', 'closedlost'].includes(d.properties.dealstage ?? '') && Number(d.properties.amount) > 0,
    )!;
    const dealId = ids.deals.get(open.id)!;
    const first = dealCardSchema.parse(await deps.cards.deal(tenantId, dealId));
    if (first.state !== 'scored') throw new Error(`expected a scored deal, got ${first.state}`);
    expect(first.change).toBeNull();
    const before = (await selectScore(store.db, tenantId, 'deal', dealId))!;

    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url, numberOfApiCallRetries: 6 });
    await client.crm.deals.basicApi.update(dealId, { properties: { amount: String(Number(open.properties.amount) * 40) } });
    await connector.sync(createStoreSyncSink(store.db, tenantId));
    await scoreTenant(store.db, tenantId, { now: later });
    const after = (await selectScore(store.db, tenantId, 'deal', dealId))!;
    expect(after.details.probability).not.toBe(before.details.probability);

    const card = dealCardSchema.parse(await deps.cards.deal(tenantId, dealId));
    if (card.state !== 'scored') throw new Error(`expected a scored deal, got ${card.state}`);
    const expected = Math.round((after.details.probability - before.details.probability) * 1000) / 10;
    expect(card.change?.points).toBeCloseTo(expected, 5);
    expect(card.change?.since).toBe(before.scoredAt.toISOString());
    expect(after.details.change?.movers[0]?.source).toBe('deal.amount');
    expect(card.change?.movers[0]?.label).toBe(after.details.change?.movers[0]?.label);
    expect(card.change?.movers.length).toBeLessThanOrEqual(3);
    // The trend written back agrees in sign with the change.
    if (after.details.trend === 'up') expect(card.change!.points).toBeGreaterThan(0);
    if (after.details.trend === 'down') expect(card.change!.points).toBeLessThan(0);
  }, 240_000);
});
