import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum, type PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/deals/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type HubSpotSandbox, startHubSpotSandbox } from '../index.ts';
import { loadBankMarketing } from './bank-marketing.ts';
import { loadMaven } from './maven.ts';

describe('dataset loaders', () => {
  let sandbox: HubSpotSandbox | undefined;
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  it('reads all 45,211 bank clients, infers years 2008–2010 and never dates after now', () => {
    const data = loadBankMarketing();
    expect(data.contacts).toHaveLength(45_211);
    const years = new Set(data.contacts.map((c) => c.createdAt.slice(0, 4)));
    expect([...years].sort()).toEqual(['2008', '2009', '2010']);
    const now = Date.parse(data.now);
    expect(data.contacts.every((c) => Date.parse(c.updatedAt) <= now)).toBe(true);
    const customers = data.contacts.filter((c) => c.properties.lifecyclestage === 'customer').length;
    expect(customers).toBe(5289); // y = yes in bank-full.csv
    expect(data.contacts.some((c) => 'duration' in c.properties)).toBe(false);
  });

  it('serves bank clients as contacts with custom properties through the SDK', async () => {
    sandbox = await startHubSpotSandbox({ limits: false });
    const loaded = sandbox.loadPortal(loadBankMarketing({ limit: 500 }));
    expect(loaded.undeclaredProperties).toEqual([]);
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    const job = await client.crm.properties.coreApi.getByName('contacts', 'job');
    expect(job.type).toBe('enumeration');
    expect(job.options.map((o) => o.value)).toContain('management');
    const first = await client.crm.contacts.basicApi.getById(loaded.ids.contacts.get('bank-1') ?? '', ['age', 'job', 'balance', 'housing']);
    expect(first.properties).toMatchObject({ age: '58', job: 'management', balance: '2143', housing: 'yes' });
  });

  it('turns Maven into owners, companies and deals with stage history in their own pipeline', async () => {
    const data = loadMaven();
    expect(data.owners).toHaveLength(35);
    expect(data.companies).toHaveLength(85);
    expect(data.deals).toHaveLength(8_800);
    sandbox = await startHubSpotSandbox({ limits: false });
    const loaded = sandbox.loadPortal(data);
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    const won = await client.crm.deals.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: FilterOperatorEnum.Eq, value: 'won' }] }],
      limit: 1,
    } as PublicObjectSearchRequest);
    expect(won.total).toBe(4_238);
    const dealId = loaded.ids.deals.get('1C1I7A6R') ?? '';
    const deal = await client.crm.deals.basicApi.getById(
      dealId,
      ['amount', 'dealstage', 'hubspot_owner_id', 'product'],
      ['dealstage', 'amount'],
    );
    expect(deal.properties).toMatchObject({ dealstage: 'won', amount: '1054', product: 'GTX Plus Basic' });
    expect(deal.propertiesWithHistory?.dealstage?.map((h) => h.value)).toEqual(['won', 'engaging', 'prospecting']);
    expect(deal.propertiesWithHistory?.amount?.map((h) => h.value)).toEqual(['1054', '1096']);
    const owner = await client.crm.owners.ownersApi.getById(Number(deal.properties.hubspot_owner_id));
    expect(`${owner.firstName} ${owner.lastName}`).toBe('Moses Frase');
    const companies = await client.crm.associations.v4.batchApi.getPage('deals', 'companies', { inputs: [{ id: dealId }] });
    expect(companies.results[0]?.to).toHaveLength(1);
  });
});
