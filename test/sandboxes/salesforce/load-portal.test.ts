import { describe, expect, it } from 'vitest';
import { generateSyntheticPortal } from '../seed/synthetic-portal.ts';
import { customFieldName, loadPortalIntoOrg } from './load-portal.ts';

describe('loading a synthetic portal into the Salesforce org', () => {
  const data = generateSyntheticPortal({ seed: 11, contacts: 300 });
  const { org, idMap } = loadPortalIntoOrg(data, { closewiseFieldsInstalled: true });

  it('creates one record per seed record, people as Contact or Lead', () => {
    expect(org.count('Account')).toBe(data.companies.length);
    expect(org.count('Opportunity')).toBe(data.deals.length);
    const people = data.contacts.map((c) => idMap.get(c.id) ?? '');
    expect(people.every((id) => id.startsWith('003') || id.startsWith('00Q'))).toBe(true);
    const leads = org.all('Lead');
    const unconverted = leads.filter((l) => l.IsConverted === false).length;
    expect(unconverted + org.count('Contact')).toBe(data.contacts.length);
    // Every converted lead points at a Contact that exists.
    for (const lead of leads.filter((l) => l.IsConverted === true))
      expect(org.get(String(lead.ConvertedContactId))?.object.name).toBe('Contact');
  });

  it('keeps stage outcomes and writes one history row per change', () => {
    const won = data.deals.filter((d) => d.properties.dealstage === 'closedwon').length;
    expect(org.all('Opportunity').filter((o) => o.IsWon === true)).toHaveLength(won);
    const changes = data.deals.reduce(
      (n, d) => n + new Set(['dealstage', 'amount', 'closedate'].flatMap((p) => (d.history[p] ?? []).map((h) => h.timestamp))).size,
      0,
    );
    expect(org.count('OpportunityHistory')).toBe(changes);
  });

  it('names custom fields the Salesforce way', () => {
    expect(customFieldName('competitor_involved')).toBe('Competitor_Involved__c');
    expect(customFieldName('2nd  budget--owner_')).toBe('X2nd_Budget_Owner__c');
    expect(org.schema.get('Opportunity')?.fields.has('Competitor_Involved__c')).toBe(true);
  });
});
