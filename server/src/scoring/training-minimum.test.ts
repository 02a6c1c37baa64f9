import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPglite, type TestStore } from '../test-support/stores.ts';
import { champion } from './model-store.ts';
import { smallPortal, subsetPortal } from './test-support/fixtures.ts';
import { createTestTenant, loadPortalIntoStore } from './test-support/load-portal.ts';
import { trainTenantModels } from './train.ts';

let store: TestStore;
let portal: PortalData;
beforeAll(async () => {
  store = await openTestPglite();
  portal = smallPortal(31, 1500);
});
afterAll(() => store.dispose());

const closed = (won: boolean) => portal.deals.filter((d) => d.properties['dealstage'] === (won ? 'closedwon' : 'closedlost'));

async function trainSubset(tenant: string, won: number, lost: number, settings: Record<string, unknown> = {}) {
  await createTestTenant(store.db, tenant, settings);
  const ids = new Set([...closed(true).slice(0, won), ...closed(false).slice(0, lost)].map((d) => d.id));
  await loadPortalIntoStore(store.db, tenant, subsetPortal(portal, ids, new Set()));
  const report = await trainTenantModels(store.db, tenant, { now: new Date(portal.now), targets: ['deal_win_at_creation'] });
  return report.models[0]!;
}

describe('minimum data counts the training slice', () => {
  it('44 won deals in all, fewer than 40 of them before the hold-out: the prior is used', async () => {
    const model = await trainSubset('min-slice', 44, 120);
    console.log(model.note);
    expect(model.source).toBe('prior');
    expect(model.note).toMatch(/thin data: (\d+) won \/ \d+ lost closed deals to train on \(minimum 40 \/ 40\)/);
    expect(Number(/(\d+) won/.exec(model.note)?.[1])).toBeLessThan(40);
  });

  it('a dozen positives with the minimums lowered: written probabilities stay in 0.5–99.5% and Platt stays bounded', async () => {
    const model = await trainSubset('dozen', 15, 400, { scoring: { minWonDeals: 5, minLostDeals: 5 } });
    expect(model.source).toBe('portal');
    const stored = await champion(store.db, 'dozen', 'deal_win_at_creation');
    const calibration = stored!.featureSpec.calibration;
    console.log(`${model.note}; calibration ${JSON.stringify(calibration)}`);
    if (calibration.method === 'platt') expect(Math.abs(calibration.a)).toBeLessThanOrEqual(5);
    for (const p of model.holdout.predictions) {
      expect(p).toBeGreaterThanOrEqual(0.005);
      expect(p).toBeLessThanOrEqual(0.995);
    }
    expect(stored!.card['calibration']).toMatchObject({ method: 'platt' });
  });
});
