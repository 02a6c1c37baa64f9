import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import { type InstalledHubSpotTenant, installHubSpotTenant } from '../test-support/hubspot-tenant.ts';
import { openTestPglite, type TestStore } from '../test-support/stores.ts';
import { dealFeatures } from './features/deal-features.ts';
import type { FeatureInfo } from './features/types.ts';
import { singleFeatureAuc } from './leakage.ts';
import { listModels } from './model-store.ts';
import { buildPortalStats } from './portal-stats.ts';
import { loadTenantData } from './tenant-data.ts';
import { smallPortal } from './test-support/fixtures.ts';
import { createTestTenant, loadPortalIntoStore } from './test-support/load-portal.ts';
import { type TrainingReport, trainTenantModels } from './train.ts';

const categorical: FeatureInfo = { name: 'x', kind: 'categorical', source: 'custom:x', label: 'x' };
const numeric: FeatureInfo = { name: 'y', kind: 'numeric', source: 'custom:y', label: 'y' };

describe('single-feature AUC', () => {
  const labels = Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 1 : 0));

  it('is ~1 for a value present only on positives', () => {
    expect(
      singleFeatureAuc(
        categorical,
        labels.map((y) => (y ? 'signed' : null)),
        labels,
      ),
    ).toBeGreaterThan(0.97);
    expect(
      singleFeatureAuc(
        numeric,
        labels.map((y) => (y ? 5 : null)),
        labels,
      ),
    ).toBeGreaterThan(0.97);
  });

  it('is ~0.5 for an id-like field whose every value is unique', () => {
    expect(
      singleFeatureAuc(
        categorical,
        labels.map((_, i) => `id-${i}`),
        labels,
      ),
    ).toBeLessThan(0.6);
  });
});

const closedAtOf = (deal: PortalData['deals'][number]) => {
  const stages = deal.history['dealstage']!;
  return Date.parse(stages[stages.length - 1]!.timestamp);
};

/**
 * Two planted leaks, both filled in when a deal closes, with history as HubSpot keeps it (an entry at the
 * moment they were set): a close reason on every closed deal (its value says won or lost) and a signing
 * date on won deals, a day after the close.
 */
function plantLeaks(portal: PortalData): PortalData {
  portal.customProperties.push(
    { objectType: 'deal', name: 'close_reason', label: 'Close reason', type: 'string', fieldType: 'text' },
    { objectType: 'deal', name: 'signed_on', label: 'Signed on', type: 'date', fieldType: 'date' },
  );
  for (const deal of portal.deals) {
    const stage = deal.properties['dealstage'];
    if (stage !== 'closedwon' && stage !== 'closedlost') continue;
    const closedAt = closedAtOf(deal);
    const reason = stage === 'closedwon' ? ['price', 'features', 'relationship'] : ['budget', 'timing', 'competitor'];
    deal.properties['close_reason'] = reason[deal.id.length % 3]!;
    deal.history['close_reason'] = [{ value: deal.properties['close_reason'], timestamp: new Date(closedAt).toISOString() }];
    if (stage !== 'closedwon') continue;
    const signed = new Date(closedAt + 86_400_000).toISOString();
    deal.properties['signed_on'] = signed.slice(0, 10);
    deal.history['signed_on'] = [{ value: signed.slice(0, 10), timestamp: signed }];
  }
  return portal;
}

describe('leakage guard on what the HubSpot connector syncs', () => {
  const portal = plantLeaks(smallPortal(41));
  let tenant: InstalledHubSpotTenant;
  let report: TrainingReport;

  beforeAll(async () => {
    tenant = await installHubSpotTenant(portal);
    await tenant.connector.sync(createStoreSyncSink(tenant.store.db, tenant.tenantId));
    report = await trainTenantModels(tenant.store.db, tenant.tenantId, { now: new Date(portal.now), targets: ['deal_win_at_creation'] });
  }, 180_000);
  afterAll(() => tenant?.stop());

  it('syncs the planted fields with their history, so a deal reads them empty before it closed', async () => {
    const data = await loadTenantData(tenant.store.db, tenant.tenantId);
    const stats = buildPortalStats(data);
    const closed = data.deals.filter((d) => d.properties['custom:close_reason']);
    expect(closed.length).toBeGreaterThan(50);
    for (const deal of closed) {
      expect(deal.history.get('custom:close_reason')?.length).toBe(1);
      const facts = stats.facts.get(deal.id)!;
      const before = dealFeatures(data, stats, facts, facts.closedAt! - 60_000).row;
      expect(before['deal_custom_close_reason']).toBeNull();
      expect(before['deal_custom_signed_on']).toBeNull();
    }
  });

  it('excludes both fields, names them with the reason, and leaves the honest ones in', async () => {
    const excluded = report.models[0]!.excludedFeatures;
    expect(excluded.find((e) => e.feature === 'deal_custom_close_reason')?.reason).toMatch(/changes after the outcome/);
    expect(excluded.find((e) => e.feature === 'deal_custom_signed_on')?.reason).toMatch(/changes after the outcome/);
    expect(excluded.map((e) => e.feature).filter((n) => n !== 'deal_custom_close_reason' && n !== 'deal_custom_signed_on')).toEqual([]);
    const [model] = await listModels(tenant.store.db, tenant.tenantId, 'deal_win_at_creation');
    expect(model!.card.excludedFeatures.map((e) => e.feature)).toEqual(
      expect.arrayContaining(['deal_custom_close_reason', 'deal_custom_signed_on']),
    );
    const used = model!.card.features.map((f) => f.name);
    expect(used).not.toContain('deal_custom_close_reason');
    expect(used).not.toContain('deal_custom_signed_on');
    expect(used).toContain('deal_custom_competitor_involved');
  });
});

describe('a field whose history is unknown', () => {
  /** Set on won deals at close, synced without any history (as from a CRM that does not track the field). */
  function plantUntracked(portal: PortalData): PortalData {
    portal.customProperties.push({ objectType: 'deal', name: 'won_reason', label: 'Won reason', type: 'string', fieldType: 'text' });
    for (const deal of portal.deals) {
      if (deal.properties['dealstage'] === 'closedwon')
        deal.properties['won_reason'] = ['price', 'features', 'relationship'][deal.id.length % 3]!;
    }
    return portal;
  }
  let store: TestStore;
  const train = async (tenantId: string, settings: Record<string, unknown>) => {
    const portal = plantUntracked(smallPortal(41));
    await createTestTenant(store.db, tenantId, settings);
    await loadPortalIntoStore(store.db, tenantId, portal, { withoutHistory: new Set(['won_reason']) });
    const report = await trainTenantModels(store.db, tenantId, { now: new Date(portal.now), targets: ['deal_win_at_creation'] });
    return report.models[0]!.excludedFeatures;
  };
  beforeAll(async () => {
    store = await openTestPglite();
  });
  afterAll(() => store?.dispose());

  it('is excluded by default and named with "history unknown"', async () => {
    const excluded = await train('untracked', {});
    expect(excluded.find((e) => e.feature === 'deal_custom_won_reason')?.reason).toMatch(/^history unknown: 0 of \d+ deal records/);
    expect(excluded.map((e) => e.feature)).toEqual(['deal_custom_won_reason']);
  }, 120_000);

  it('is read at its current value once an admin opts it in, and then the AUC guard catches this one', async () => {
    const excluded = await train('opted-in', { scoring: { fieldsWithoutHistory: ['custom:won_reason'] } });
    expect(excluded.find((e) => e.feature === 'deal_custom_won_reason')?.reason).toMatch(/single-feature AUC/);
  }, 120_000);
});
