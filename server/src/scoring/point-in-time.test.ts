import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPglite, type TestStore } from '../test-support/stores.ts';
import { contactFeatures } from './features/contact-features.ts';
import { dealFeatures } from './features/deal-features.ts';
import { buildPortalStats } from './portal-stats.ts';
import { loadTenantData, type TenantData } from './tenant-data.ts';
import { smallPortal, truncateAt } from './test-support/fixtures.ts';
import { createTestTenant, loadPortalIntoStore } from './test-support/load-portal.ts';
import { DAY_MS } from './values.ts';

let store: TestStore;
let data: TenantData;

beforeAll(async () => {
  store = await openTestPglite();
  await createTestTenant(store.db, 'pit');
  await loadPortalIntoStore(store.db, 'pit', smallPortal(11, 300));
  data = await loadTenantData(store.db, 'pit');
});
afterAll(() => store.dispose());

describe('point-in-time features', () => {
  it('a deal as of t is computed exactly as if the store held only what existed at t', () => {
    const fullStats = buildPortalStats(data);
    let compared = 0;
    for (const deal of data.deals.slice(0, 60)) {
      for (const days of [0, 10, 40]) {
        const t = deal.createdAt! + days * DAY_MS;
        const past = truncateAt(data, t);
        const pastStats = buildPortalStats(past);
        const now = dealFeatures(data, fullStats, fullStats.facts.get(deal.id)!, t).row;
        const then = dealFeatures(past, pastStats, pastStats.facts.get(deal.id)!, t).row;
        expect(now, `${deal.id} at +${days}d`).toEqual(then);
        compared += 1;
      }
    }
    expect(compared).toBe(180);
  });

  it('a contact as of t is computed exactly as if the store held only what existed at t', () => {
    const fullStats = buildPortalStats(data);
    for (const contact of data.contacts.slice(0, 60)) {
      for (const days of [0, 15, 45]) {
        const t = contact.createdAt! + days * DAY_MS;
        const past = truncateAt(data, t);
        const now = contactFeatures(data, fullStats, contact, t).row;
        const then = contactFeatures(past, buildPortalStats(past), past.records.get(contact.key)!, t).row;
        expect(now, `${contact.id} at +${days}d`).toEqual(then);
      }
    }
  });

  it('moving t earlier never lets later activities into the counts', () => {
    const stats = buildPortalStats(data);
    const busy = data.deals.filter((d) => (data.activities.get(d.key)?.length ?? 0) >= 4).slice(0, 20);
    expect(busy.length).toBeGreaterThan(5);
    for (const deal of busy) {
      const activities = data.activities.get(deal.key)!;
      for (const activity of activities) {
        const t = activity.at - 1;
        const row = dealFeatures(data, stats, stats.facts.get(deal.id)!, t).row;
        const before90 = activities.filter((a) => a.at <= t && t - a.at <= 90 * DAY_MS).length;
        const counted = ['email', 'call', 'meeting', 'note', 'task'].reduce((sum, kind) => sum + Number(row[`deal_${kind}s_90d`]), 0);
        expect(counted).toBe(before90);
        const last = row['deal_days_since_last_activity'];
        if (last !== null) expect(Number(last)).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
