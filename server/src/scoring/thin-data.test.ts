import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPglite, type TestStore } from '../test-support/stores.ts';
import { readRecordInsights } from './insights.ts';
import { scoreTenant } from './score.ts';
import { smallPortal, subsetPortal } from './test-support/fixtures.ts';
import { createTestTenant, loadPortalIntoStore } from './test-support/load-portal.ts';
import { trainTenantModels } from './train.ts';
import { pendingScoreWrites } from './write-back.ts';

const TENANT = 'thin';
let store: TestStore;
let portal: PortalData;
let now: Date;

beforeAll(async () => {
  store = await openTestPglite();
  // Enough closed history that even the after-proposal model has 40 won / 40 lost deals to train on.
  portal = smallPortal(31, 800);
  now = new Date(portal.now);
  await createTestTenant(store.db, TENANT);
});
afterAll(() => store.dispose());

const closed = (p: PortalData, won: boolean) => p.deals.filter((d) => d.properties['dealstage'] === (won ? 'closedwon' : 'closedlost'));
const open = (p: PortalData) => p.deals.filter((d) => !String(d.properties['dealstage']).startsWith('closed'));

describe('thin data', () => {
  it('a portal with 10 closed deals gets prior-model scores flagged "prior"', async () => {
    const dealIds = new Set(
      [...closed(portal, true).slice(0, 5), ...closed(portal, false).slice(0, 5), ...open(portal).slice(0, 5)].map((d) => d.id),
    );
    const contactIds = new Set(portal.contacts.slice(0, 30).map((c) => c.id));
    await loadPortalIntoStore(store.db, TENANT, subsetPortal(portal, dealIds, contactIds));

    const report = await trainTenantModels(store.db, TENANT, { now });
    for (const model of report.models) {
      expect(model.source, model.target).toBe('prior');
      expect(model.champion).toBe(true);
      expect(model.note).toMatch(/thin data/);
    }
    expect(report.models[0]!.note).toMatch(/\d won \/ \d lost closed deals to train on \(minimum 40 \/ 40\)/);

    const scoring = await scoreTenant(store.db, TENANT, { now });
    expect(scoring.counts.deals).toBe(5);
    expect(scoring.bySource.portal).toBe(0);
    const card = await readRecordInsights(store.db, TENANT, 'deal', open(portal)[0]!.id);
    expect(card).toMatchObject({ prior: true, model: { source: 'prior' } });
    expect(card!.reasons.length).toBeGreaterThanOrEqual(1);
    // The flag reaches the CRM too: write-back puts it in front of the reasons.
    const writes = await pendingScoreWrites(store.db, TENANT);
    expect(writes.find((w) => w.objectType === 'deal')!.fields.topReasons).toMatch(/^Prior model/);
  });

  it('retraining again on the same thin data keeps the same prior version', async () => {
    const again = await trainTenantModels(store.db, TENANT, { now, targets: ['deal_win_at_creation'] });
    expect(again.models[0]).toMatchObject({ source: 'prior', version: 1 });
  });

  it('adding closed history past the minimum switches to the portal’s own model on the next retrain', async () => {
    await loadPortalIntoStore(store.db, TENANT, portal);
    const report = await trainTenantModels(store.db, TENANT, { now });
    for (const model of report.models) {
      expect(model.source, model.target).toBe('portal');
      expect(model.champion).toBe(true);
      expect(model.version).toBe(2);
      expect(model.note).toMatch(/replaces prior v1/);
    }
    await scoreTenant(store.db, TENANT, { now });
    const card = await readRecordInsights(store.db, TENANT, 'deal', open(portal)[0]!.id);
    expect(card).toMatchObject({ prior: false, model: { source: 'portal', version: 2 } });
  });
});
