import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPglite, type TestStore } from '../test-support/stores.ts';
import type { FeatureInfo } from './features/types.ts';
import { singleFeatureAuc } from './leakage.ts';
import { listModels } from './model-store.ts';
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

const TENANT = 'leaky';
let store: TestStore;
let report: TrainingReport;

/** Two planted leaks on won deals: one visible only as a current value, one whose history shows it set after the close. */
function plantLeaks(portal: PortalData): PortalData {
  portal.customProperties.push(
    { objectType: 'deal', name: 'won_reason', label: 'Won reason', type: 'string', fieldType: 'text' },
    { objectType: 'deal', name: 'signed_on', label: 'Signed on', type: 'date', fieldType: 'date' },
  );
  for (const deal of portal.deals) {
    if (deal.properties['dealstage'] !== 'closedwon') continue;
    const stages = deal.history['dealstage']!;
    const closedAt = Date.parse(stages[stages.length - 1]!.timestamp);
    deal.properties['won_reason'] = ['price', 'features', 'relationship'][deal.id.length % 3]!;
    const signed = new Date(closedAt + 86_400_000).toISOString();
    deal.properties['signed_on'] = signed;
    deal.history['signed_on'] = [{ value: signed, timestamp: signed }];
  }
  return portal;
}

beforeAll(async () => {
  store = await openTestPglite();
  const portal = plantLeaks(smallPortal(41));
  await createTestTenant(store.db, TENANT);
  await loadPortalIntoStore(store.db, TENANT, portal);
  report = await trainTenantModels(store.db, TENANT, { now: new Date(portal.now), targets: ['deal_win_at_creation'] });
}, 120_000);
afterAll(() => store.dispose());

describe('leakage guard', () => {
  it('excludes a field set only on won deals after close, and names it with the reason', () => {
    const excluded = report.models[0]!.excludedFeatures;
    const wonReason = excluded.find((e) => e.feature === 'deal_custom_won_reason');
    expect(wonReason?.reason).toMatch(/single-feature AUC 0\.9[7-9]|single-feature AUC 1\.000/);
    const signed = excluded.find((e) => e.feature === 'deal_custom_signed_on');
    expect(signed?.reason).toMatch(/changes after the outcome/);
  });

  it('names the excluded fields in the stored model card and leaves them out of the model', async () => {
    const [model] = await listModels(store.db, TENANT, 'deal_win_at_creation');
    expect(model!.card.excludedFeatures.map((e) => e.feature)).toEqual(
      expect.arrayContaining(['deal_custom_won_reason', 'deal_custom_signed_on']),
    );
    const used = model!.card.features.map((f) => f.name);
    expect(used).not.toContain('deal_custom_won_reason');
    expect(used).not.toContain('deal_custom_signed_on');
    expect(used).toContain('deal_custom_competitor_involved');
  });

  it('does not exclude the honest fields', () => {
    const names = report.models[0]!.excludedFeatures.map((e) => e.feature);
    expect(names.filter((n) => n !== 'deal_custom_won_reason' && n !== 'deal_custom_signed_on')).toEqual([]);
  });
});
