import { describe, expect, it } from 'vitest';
import type { FeatureInfo } from './features/types.ts';
import { buildReasons } from './reasons.ts';
import { isIdentifierLike, valueLabelsFrom } from './value-labels.ts';

const labels = valueLabelsFrom([
  { object_type: 'company', field: 'industry', options: [{ value: 'COMPUTER_SOFTWARE', label: 'Computer Software' }] },
  { object_type: 'contact', field: 'lifecycle', options: [{ value: 'sql', label: 'Sales Qualified Lead' }] },
  { object_type: 'contact', field: 'custom:lead_source_detail', options: [{ value: 'organic_search', label: 'Organic search' }] },
]);

const infos: FeatureInfo[] = [
  { name: 'company_industry', kind: 'categorical', source: 'company.industry', label: 'industry' },
  { name: 'contact_days_in_lifecycle', kind: 'numeric', source: 'contact.lifecycle', label: '' },
  {
    name: 'deal_contacts_custom_lead_source_detail',
    kind: 'categorical',
    source: 'custom:lead_source_detail',
    label: 'Lead source (first contact)',
  },
  { name: 'contact_custom_landing_page', kind: 'categorical', source: 'custom:landing_page', label: 'Landing page' },
];

describe('value labels in reasons', () => {
  it('words enumeration values with the CRM’s labels, across object types for custom fields', () => {
    const row = {
      company_industry: 'COMPUTER_SOFTWARE',
      contact_days_in_lifecycle: 4,
      deal_contacts_custom_lead_source_detail: 'organic_search',
      contact_custom_landing_page: '50f87b85a731cec08d8380b08c573ed3',
    };
    const reasons = buildReasons(
      [
        { feature: 'company_industry', contribution: 0.3 },
        { feature: 'contact_days_in_lifecycle', contribution: 0.2 },
        { feature: 'deal_contacts_custom_lead_source_detail', contribution: 0.1 },
        { feature: 'contact_custom_landing_page', contribution: -0.4 },
      ],
      infos,
      row,
      { lifecycle: 'sql', labels },
    );
    expect(reasons.map((r) => r.text)).toEqual([
      'Industry: Computer Software',
      "Lifecycle stage 'Sales Qualified Lead' for 4 days",
      'Lead source (first contact): Organic search',
      "Landing page: records with this value do worse than the portal's average",
    ]);
  });

  it('keeps a value the CRM gave no label', () => {
    expect(labels.label('company', 'industry', 'Shipbuilding')).toBe('Shipbuilding');
  });

  it('tells identifiers from readable values', () => {
    for (const id of ['50f87b85a731cec08d8380b08c573ed3', '0065g00000AbCdEAAV', '123456789', 'https://example.com/lp', 'www.example.com']) {
      expect(isIdentifierLike(id), id).toBe(true);
    }
    for (const value of ['Computer Software', 'organic_search', 'enterprise_suite', 'Q3 2024', '2024', 'Direct competitor']) {
      expect(isIdentifierLike(value), value).toBe(false);
    }
  });
});
