import { describe, expect, it } from 'vitest';
import { storeEngines } from '../test-support/stores.ts';
import { readRecordInsights } from './insights.ts';
import { scoreTenant } from './score.ts';
import { smallPortal, subsetPortal } from './test-support/fixtures.ts';
import { createTestTenant, loadPortalIntoStore } from './test-support/load-portal.ts';
import { trainTenantModels } from './train.ts';
import { markScoresWritten, pendingScoreWrites } from './write-back.ts';

const portal = smallPortal(61, 200);
const dealIds = new Set(portal.deals.slice(0, 20).map((d) => d.id));
const contactIds = new Set(portal.contacts.slice(0, 20).map((c) => c.id));
const small = subsetPortal(portal, dealIds, contactIds);

describe.each(storeEngines)('scoring on $name', ({ open }) => {
  it('trains (prior), scores, reads cards and tracks write-back with model bytes and details round-tripping', async () => {
    const store = await open();
    try {
      const now = new Date(small.now);
      await createTestTenant(store.db, 'engine');
      await loadPortalIntoStore(store.db, 'engine', small);
      const training = await trainTenantModels(store.db, 'engine', { now });
      expect(training.models.every((m) => m.source === 'prior')).toBe(true);
      const report = await scoreTenant(store.db, 'engine', { now });
      expect(report.counts.contacts).toBeGreaterThan(0);
      const writes = await pendingScoreWrites(store.db, 'engine');
      expect(writes.length).toBe(report.counts.deals + report.counts.contacts + report.counts.companies);
      await markScoresWritten(store.db, 'engine', writes.slice(0, 3), now);
      expect((await pendingScoreWrites(store.db, 'engine')).length).toBe(writes.length - 3);
      const card = await readRecordInsights(store.db, 'engine', writes[0]!.objectType, writes[0]!.externalId);
      expect(card).not.toBeNull();
    } finally {
      await store.dispose();
    }
  });
});
