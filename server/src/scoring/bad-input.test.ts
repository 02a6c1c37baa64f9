import type { PortalData, SeedRecord } from '@closewise/sandboxes/seed/portal-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPglite, type TestStore } from '../test-support/stores.ts';
import { readRecordInsights } from './insights.ts';
import { listModels } from './model-store.ts';
import { scoreTenant } from './score.ts';
import { smallPortal } from './test-support/fixtures.ts';
import { createTestTenant, loadPortalIntoStore } from './test-support/load-portal.ts';
import { trainTenantModels } from './train.ts';

const TENANT = 'messy';
let store: TestStore;
let odd: { negative: string; epoch: string; unknownStage: string; empty: string; contact: string; company: string };

/** Sets a property's current value and its last history entry, as a CRM would show it. */
function set(record: SeedRecord, property: string, value: string): void {
  record.properties[property] = value;
  const history = record.history[property];
  if (history && history.length > 0) history[history.length - 1] = { ...history[history.length - 1]!, value };
}

function makeMessy(portal: PortalData): PortalData {
  const open = portal.deals.filter((d) => !String(d.properties['dealstage']).startsWith('closed'));
  const [a, b, c, d] = open;
  set(a!, 'amount', '-5000');
  set(b!, 'closedate', '1970-01-01T00:00:00Z');
  set(c!, 'dealstage', 'stage_nobody_defined');
  set(d!, 'amount', '');
  set(d!, 'dealname', '');
  const company = portal.companies[0]!;
  set(company, 'numberofemployees', 'lots');
  set(company, 'annualrevenue', '-1');
  const contact = portal.contacts[0]!;
  set(contact, 'jobtitle', '');
  set(contact, 'seats_requested', 'twelve');
  odd = { negative: a!.id, epoch: b!.id, unknownStage: c!.id, empty: d!.id, contact: contact.id, company: company.id };
  return portal;
}

beforeAll(async () => {
  store = await openTestPglite();
  const portal = makeMessy(smallPortal(51));
  const now = new Date(portal.now);
  await createTestTenant(store.db, TENANT);
  await loadPortalIntoStore(store.db, TENANT, portal);
  await trainTenantModels(store.db, TENANT, { now });
  await scoreTenant(store.db, TENANT, { now });
}, 120_000);
afterAll(() => store.dispose());

describe('bad input', () => {
  it('scores records with negative amounts, 1970 close dates, unknown stages and empty strings', async () => {
    for (const id of [odd.negative, odd.epoch, odd.unknownStage, odd.empty]) {
      const card = await readRecordInsights(store.db, TENANT, 'deal', id);
      expect(card, id).not.toBeNull();
      expect(card!.probability).toBeGreaterThan(0);
      expect(card!.probability).toBeLessThan(1);
      expect(card!.reasons.length).toBeGreaterThanOrEqual(1);
    }
    expect(await readRecordInsights(store.db, TENANT, 'contact', odd.contact)).not.toBeNull();
    const company = await readRecordInsights(store.db, TENANT, 'company', odd.company);
    expect(company!.dataQuality).toEqual(['company.annual_revenue', 'company.employees']);
  });

  it('flags the odd values on the score instead of silently coercing them', async () => {
    const negative = await readRecordInsights(store.db, TENANT, 'deal', odd.negative);
    expect(negative!.dataQuality).toContain('deal.amount');
    expect(negative!.reasons.some((r) => r.text.includes('deal.amount') && r.text.includes('treated as unknown'))).toBe(true);
    expect((await readRecordInsights(store.db, TENANT, 'deal', odd.epoch))!.dataQuality).toContain('deal.close_date');
    expect((await readRecordInsights(store.db, TENANT, 'deal', odd.unknownStage))!.dataQuality).toContain('deal.stage');
    expect((await readRecordInsights(store.db, TENANT, 'contact', odd.contact))!.dataQuality).toEqual(
      expect.arrayContaining(['contact.job_title', 'custom:seats_requested']),
    );
  });

  it('reports the odd values per field in the model card’s data-quality section', async () => {
    const [model] = await listModels(store.db, TENANT, 'deal_win_at_creation');
    const quality = model!.card.dataQuality;
    const count = (field: string, issue: string) => quality.find((q) => q.field === field && q.issue === issue)?.count ?? 0;
    expect(count('deal.amount', 'negative')).toBeGreaterThanOrEqual(1);
    expect(count('deal.amount', 'empty')).toBeGreaterThanOrEqual(1);
    expect(count('deal.close_date', 'before_2000')).toBeGreaterThanOrEqual(1);
    expect(count('deal.stage', 'unknown_stage')).toBeGreaterThanOrEqual(1);
    // Counted per record, not per read: the company is read for each of its deals and contacts.
    expect(count('company.employees', 'not_a_number')).toBe(1);
    expect(count('company.annual_revenue', 'negative')).toBeGreaterThanOrEqual(1);
    expect(count('custom:seats_requested', 'not_a_number')).toBeGreaterThanOrEqual(1);
  });

  it('scores an empty portal without crashing (prior models, nothing to score)', async () => {
    await createTestTenant(store.db, 'empty');
    const now = new Date('2026-11-01T00:00:00Z');
    const training = await trainTenantModels(store.db, 'empty', { now });
    expect(training.models.every((m) => m.source === 'prior' && Number.isNaN(m.holdout.auc))).toBe(true);
    expect(await scoreTenant(store.db, 'empty', { now })).toMatchObject({ counts: { deals: 0, contacts: 0, companies: 0 } });
  });
});
