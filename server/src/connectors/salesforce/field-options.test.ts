import { startSalesforceSandbox } from '@closewise/sandboxes/salesforce/sandbox';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { describe, expect, it } from 'vitest';
import type { FieldOptions } from '../connector.ts';
import { connectToSandbox, memorySink } from './test-support/sandbox-connector.ts';

describe('Salesforce picklist labels', () => {
  it('syncs describe’s picklist labels of Industry and custom picklists, under the fields records carry', async () => {
    const sandbox = await startSalesforceSandbox();
    try {
      sandbox.loadPortal(generateSyntheticPortal({ seed: 5, contacts: 40 }));
      const { connector } = await connectToSandbox(sandbox);
      const options: FieldOptions[] = [];
      const result = await connector.sync({ ...memorySink(), fieldOptions: async (o) => void options.push(...o) });
      expect(result.status).toEqual({ state: 'complete' });
      const labelOf = (objectType: string, field: string, value: string) =>
        options.find((o) => o.objectType === objectType && o.field === field)?.options.find((o) => o.value === value)?.label;
      expect(labelOf('company', 'industry', 'COMPUTER_SOFTWARE')).toBe('Computer Software');
      expect(labelOf('contact', 'custom:Lead_Source_Detail__c', 'organic_search')).toBe('Organic search');
      expect(labelOf('deal', 'custom:Competitor_Involved__c', 'direct_competitor')).toBe('Direct competitor');
    } finally {
      await sandbox.stop();
    }
  });
});
