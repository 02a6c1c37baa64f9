import type { HubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { createStoreCardDeps } from '@closewise/server/cards/hubspot-card-deps';
import type { HubSpotConnector } from '@closewise/server/connectors/hubspot/hubspot-connector';
import { startCardApi } from '@closewise/server/http/hubspot-cards/test-support/signed-client';
import { pendingScoreWrites, scoreTenant } from '@closewise/server/scoring/index';
import type { ObjectType } from '@closewise/server/store/schema';
import { type InstalledHubSpotTenant, installHubSpotTenant } from '@closewise/server/test-support/hubspot-tenant';
import type { TestStore } from '@closewise/server/test-support/stores';
import { syncIntoStore } from '@closewise/server/use-cases/sync-tenant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Records deleted in HubSpot leave Closewise: an incremental sync reads the archivals (list endpoint with
 * archived=true), the store marks them archived (history kept), scoring skips them, no score is written to
 * them, and their cards answer 404.
 */
describe('records archived in HubSpot', () => {
  const portal = generateSyntheticPortal({ seed: 41, contacts: 120 });
  const now = new Date(portal.now);
  let sandbox: HubSpotSandbox;
  let store: TestStore;
  let connector: HubSpotConnector;
  let tenantId: string;
  let ids: InstalledHubSpotTenant['ids'];
  let installed: InstalledHubSpotTenant | undefined;

  beforeAll(async () => {
    installed = await installHubSpotTenant(portal, 'archive portal');
    ({ sandbox, store, connector, tenantId, ids } = installed);
  }, 120_000);
  afterAll(async () => {
    await installed?.stop();
  });

  const record = (type: ObjectType, id: string) =>
    store.db
      .selectFrom('crm_records')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('object_type', '=', type)
      .where('external_id', '=', id)
      .executeTakeFirstOrThrow();
  const scoredAt = async (type: ObjectType, id: string) =>
    (
      await store.db
        .selectFrom('scores')
        .select('scored_at')
        .where('tenant_id', '=', tenantId)
        .where('object_type', '=', type)
        .where('external_id', '=', id)
        .executeTakeFirstOrThrow()
    ).scored_at;

  it('an incremental sync archives deleted contacts and deals: not scored, not written, cards 404', async () => {
    await syncIntoStore(store.db, tenantId, connector);
    const first = await scoreTenant(store.db, tenantId, { now });
    // Nothing written yet: every scored record is pending, the two we delete included.
    const openDeal = portal.deals.find((d) => !['closedwon', 'closedlost'].includes(d.properties.dealstage ?? ''))!;
    const dealId = ids.deals.get(openDeal.id) as string;
    const contactId = ids.contacts.get(portal.contacts[0]!.id) as string;
    const liveDealId = ids.deals.get(
      portal.deals.find((d) => d !== openDeal && d.properties.dealstage === openDeal.properties.dealstage)!.id,
    )!;
    const pendingBefore = await pendingScoreWrites(store.db, tenantId);
    expect(pendingBefore.some((w) => w.objectType === 'deal' && w.externalId === dealId)).toBe(true);
    expect(pendingBefore.some((w) => w.objectType === 'contact' && w.externalId === contactId)).toBe(true);
    const dealScoredAt = await scoredAt('deal', dealId);
    const contactScoredAt = await scoredAt('contact', contactId);

    sandbox.simulateUserArchive('deals', dealId);
    sandbox.simulateUserArchive('contacts', contactId);
    const run = await syncIntoStore(store.db, tenantId, connector);
    expect(run.counts['archived:deal']).toBe(1);
    expect(run.counts['archived:contact']).toBe(1);
    expect(run.nextCursors['archived:deal']).toBeTruthy();

    // Archived, never deleted: the row and its history stay.
    expect((await record('deal', dealId)).archived).toBe(true);
    expect((await record('contact', contactId)).archived).toBe(true);
    expect((await record('deal', liveDealId)).archived).toBe(false);
    const history = await store.db
      .selectFrom('property_history')
      .select('value')
      .where('tenant_id', '=', tenantId)
      .where('external_id', '=', dealId)
      .execute();
    expect(history.length).toBeGreaterThan(0);

    const later = new Date(now.getTime() + 24 * 3600 * 1000);
    const second = await scoreTenant(store.db, tenantId, { now: later });
    expect(second.counts.deals).toBe(first.counts.deals - 1);
    expect(second.counts.contacts).toBe(first.counts.contacts - 1);
    expect(await scoredAt('deal', dealId)).toEqual(dealScoredAt);
    expect(await scoredAt('contact', contactId)).toEqual(contactScoredAt);
    expect(await scoredAt('deal', liveDealId)).toEqual(later);

    const pending = await pendingScoreWrites(store.db, tenantId);
    expect(pending.some((w) => w.externalId === dealId || w.externalId === contactId)).toBe(false);
    expect(pending.some((w) => w.objectType === 'deal' && w.externalId === liveDealId)).toBe(true);
    const written = await connector.writeScores(pending);
    expect(written.failed).toEqual([]);

    const api = await startCardApi(
      createStoreCardDeps({
        db: store.db,
        clientSecret: 'card-secret',
        scoringNow: () => later,
        connectors: { forTenant: async () => connector },
      }),
    );
    try {
      const card = (type: string, id: string) => api.request('GET', `/api/hubspot/cards/${type}/${id}?portalId=${sandbox.portalId}`);
      expect((await card('deals', dealId)).status).toBe(404);
      expect((await card('contacts', contactId)).status).toBe(404);
      expect((await card('deals', liveDealId)).status).toBe(200);
      // Nor does the deal's company list it among its open deals any more.
      const companyOf = portal.associations.find((a) => a.fromType === 'deal' && a.fromId === openDeal.id && a.toType === 'company');
      const companyCard = await card('companies', ids.companies.get(companyOf!.toId) as string);
      expect(companyCard.status).toBe(200);
      const listed = (companyCard.body as { openDeals?: { id: string }[] }).openDeals ?? [];
      expect(listed.map((d) => d.id)).not.toContain(dealId);
    } finally {
      await api.close();
    }

    // The next incremental sync moves on: the archival is behind its cursor, and marking again is harmless.
    const again = await syncIntoStore(store.db, tenantId, connector);
    expect((await record('deal', dealId)).archived).toBe(true);
    expect(again.counts['archived:deal']).toBeLessThanOrEqual(1);
  });
});
