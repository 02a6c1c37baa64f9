import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import { type InstalledHubSpotTenant, installHubSpotTenant } from '../test-support/hubspot-tenant.ts';
import { contactFeatures } from './features/contact-features.ts';
import { dealFeatures } from './features/deal-features.ts';
import { buildPortalStats } from './portal-stats.ts';
import { loadTenantData, type TenantData } from './tenant-data.ts';
import { smallPortal } from './test-support/fixtures.ts';
import { portalAsOf } from './test-support/portal-as-of.ts';
import { DAY_MS } from './values.ts';

/**
 * Custom fields that change over time, with history as HubSpot keeps it: a close reason filled in when a
 * deal closes, and seats requested revised a month after a contact is created.
 */
function plantChangingFields(portal: PortalData): PortalData {
  portal.customProperties.push({ objectType: 'deal', name: 'close_reason', label: 'Close reason', type: 'string', fieldType: 'text' });
  for (const deal of portal.deals) {
    const stage = deal.properties['dealstage'];
    if (stage !== 'closedwon' && stage !== 'closedlost') continue;
    const stages = deal.history['dealstage']!;
    const value = stage === 'closedwon' ? 'chose us' : 'went elsewhere';
    deal.properties['close_reason'] = value;
    deal.history['close_reason'] = [{ value, timestamp: stages[stages.length - 1]!.timestamp }];
  }
  for (const contact of portal.contacts) {
    const first = contact.properties['seats_requested'];
    if (first === null || first === undefined) continue;
    const revised = String(Number(first) * 3);
    contact.properties['seats_requested'] = revised;
    contact.history['seats_requested'] = [
      { value: first, timestamp: contact.createdAt },
      { value: revised, timestamp: new Date(Date.parse(contact.createdAt) + 30 * DAY_MS).toISOString() },
    ];
  }
  return portal;
}

async function syncedData(portal: PortalData): Promise<{ tenant: InstalledHubSpotTenant; data: TenantData }> {
  const tenant = await installHubSpotTenant(portal);
  await tenant.connector.sync(createStoreSyncSink(tenant.store.db, tenant.tenantId));
  return { tenant, data: await loadTenantData(tenant.store.db, tenant.tenantId) };
}

describe('features at t from the full synced store equal those from a store synced as of t', () => {
  const portal = plantChangingFields(smallPortal(11, 300));
  const t = Date.parse(portal.now) - 180 * DAY_MS;
  const past = portalAsOf(portal, t);
  let full: { tenant: InstalledHubSpotTenant; data: TenantData };
  let asOf: { tenant: InstalledHubSpotTenant; data: TenantData };

  beforeAll(async () => {
    full = await syncedData(portal);
    asOf = await syncedData(past);
  }, 180_000);
  afterAll(async () => {
    await full?.tenant.stop();
    await asOf?.tenant.stop();
  });

  it('for every deal that existed at t, every feature (custom fields included)', () => {
    const fullStats = buildPortalStats(full.data);
    const pastStats = buildPortalStats(asOf.data);
    let compared = 0;
    let closeReasonsLater = 0;
    for (const seed of past.deals) {
      const nowFacts = fullStats.facts.get(full.tenant.ids.deals.get(seed.id)!)!;
      const thenFacts = pastStats.facts.get(asOf.tenant.ids.deals.get(seed.id)!)!;
      const now = dealFeatures(full.data, fullStats, nowFacts, t).row;
      const then = dealFeatures(asOf.data, pastStats, thenFacts, t).row;
      expect(now, `deal ${seed.id}`).toEqual(then);
      expect(Object.keys(now)).toContain('deal_custom_close_reason');
      if (nowFacts.record.properties['custom:close_reason'] && !thenFacts.record.properties['custom:close_reason']) closeReasonsLater += 1;
      compared += 1;
    }
    expect(compared).toBeGreaterThan(50);
    // The comparison covers deals whose close reason was filled in after t (today's value differs from t's).
    expect(closeReasonsLater).toBeGreaterThan(5);
  });

  it('for every contact that existed at t, every feature (custom fields included)', () => {
    const fullStats = buildPortalStats(full.data);
    const pastStats = buildPortalStats(asOf.data);
    let revisedLater = 0;
    for (const seed of past.contacts) {
      const nowRecord = full.data.records.get(`contact:${full.tenant.ids.contacts.get(seed.id)}`)!;
      const thenRecord = asOf.data.records.get(`contact:${asOf.tenant.ids.contacts.get(seed.id)}`)!;
      const now = contactFeatures(full.data, fullStats, nowRecord, t).row;
      const then = contactFeatures(asOf.data, pastStats, thenRecord, t).row;
      expect(now, `contact ${seed.id}`).toEqual(then);
      if (nowRecord.properties['custom:seats_requested'] !== thenRecord.properties['custom:seats_requested']) revisedLater += 1;
    }
    expect(past.contacts.length).toBeGreaterThan(50);
    expect(revisedLater).toBeGreaterThan(0);
  });
});
