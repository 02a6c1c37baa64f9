import { describe, expect, it } from 'vitest';
import { featuresFor } from './datasets.ts';
import { scoringSettingsSchema } from './settings.ts';
import type { TenantData } from './tenant-data.ts';
import { QualityLog } from './values.ts';

function tenantWith(settings: Record<string, unknown>): TenantData {
  return {
    tenantId: 't',
    settings: scoringSettingsSchema.parse(settings),
    deals: [],
    contacts: [],
    companies: [],
    records: new Map(),
    stages: new Map(),
    stagesByPipeline: new Map(),
    activities: new Map(),
    links: new Map(),
    customFields: [
      { objectType: 'deal', name: 'region', label: 'Region', valueType: 'enumeration' },
      { objectType: 'contact', name: 'budget', label: 'Budget', valueType: 'number' },
    ],
    quality: new QualityLog(),
  };
}

describe('scoring settings', () => {
  it('default to the issue’s thin-data minimums and thresholds', () => {
    expect(scoringSettingsSchema.parse({})).toMatchObject({
      minWonDeals: 40,
      minLostDeals: 40,
      minContacts: 100,
      minConversions: 20,
      retrainEveryDays: 7,
      championAucTolerance: 0.01,
      championMaxAgeDays: 90,
    });
    expect(() => scoringSettingsSchema.parse({ minWonDeals: -1 })).toThrow();
  });

  it('types custom fields from their metadata and lets admins exclude a field by name or by source', () => {
    const all = featuresFor('deal_win_at_creation', tenantWith({})).map((f) => f.name);
    expect(all).toEqual(expect.arrayContaining(['deal_custom_region', 'deal_contacts_custom_budget', 'company_industry']));
    const fitKinds = featuresFor('contact_fit', tenantWith({}));
    expect(fitKinds.find((f) => f.name === 'contact_custom_budget')?.kind).toBe('numeric');
    expect(fitKinds.some((f) => f.source.startsWith('engagement'))).toBe(false);

    const without = featuresFor('deal_win_at_creation', tenantWith({ excludedFields: ['custom:region', 'company_industry'] })).map(
      (f) => f.name,
    );
    expect(without).not.toContain('deal_custom_region');
    expect(without).not.toContain('company_industry');
    expect(without).toContain('deal_contacts_custom_budget');
  });
});
