import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/companies/index.js';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/notes/index.js';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallPortal } from '../fixtures/small-portal.ts';
import { type HubSpotSandbox, type LoadResult, startHubSpotSandbox } from '../index.ts';
import { failure } from './helpers.ts';

describe('HubSpot sandbox through @hubspot/api-client', () => {
  let sandbox: HubSpotSandbox;
  let client: Client;
  let loaded: LoadResult;
  const id = (type: keyof LoadResult['ids'], seedId: string) => {
    const found = loaded.ids[type].get(seedId);
    if (!found) throw new Error(`${seedId} not loaded`);
    return found;
  };

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ portalId: 4242 });
    loaded = sandbox.loadPortal(smallPortal());
    client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('rejects missing or unknown bearer tokens with 401 INVALID_AUTHENTICATION', async () => {
    const stranger = new Client({ accessToken: 'pat-na1-nope', basePath: sandbox.url });
    const { code, body } = await failure(stranger.crm.contacts.basicApi.getPage());
    expect(code).toBe(401);
    expect(body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect(typeof body.correlationId).toBe('string');
  });

  it('loads the portal with numeric ids, custom properties, and never the truth', async () => {
    expect(loaded.counts.contacts).toBe(3);
    expect(loaded.counts.calls).toBe(1);
    expect(loaded.undeclaredProperties).toEqual([]);
    const contact = await client.crm.contacts.basicApi.getById(id('contacts', 'ct1'), ['balance', 'housing', 'email']);
    expect(contact.properties).toMatchObject({
      balance: '1200',
      housing: 'yes',
      email: 'x@acme.test',
      hs_object_id: id('contacts', 'ct1'),
    });
    expect(contact.id).toMatch(/^\d+$/);
    const props = await client.crm.properties.coreApi.getAll('deals');
    expect(props.results.some((p) => p.name.includes('truth') || p.name === 'dealWin')).toBe(false);
  });

  it('pages the contact list with limit/after in id order', async () => {
    const first = await client.crm.contacts.basicApi.getPage(2, undefined, ['email']);
    expect(first.results).toHaveLength(2);
    const after = first.paging?.next?.after;
    expect(after).toBeDefined();
    const second = await client.crm.contacts.basicApi.getPage(2, after, ['email']);
    expect(second.results).toHaveLength(1);
    expect(second.paging).toBeUndefined();
    const ids = [...first.results, ...second.results].map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(3);
  });

  it('counts each record answered to a read (list page, batch read, get, search), per id', async () => {
    const before = sandbox.apiReadsPerRecord('companies');
    const page = await client.crm.companies.basicApi.getPage(1);
    const listed = page.results[0]?.id as string;
    await client.crm.companies.batchApi.read({ inputs: [{ id: listed }, { id: '999999999' }], properties: [], propertiesWithHistory: [] });
    await client.crm.companies.basicApi.getById(listed);
    await client.crm.companies.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: FilterOperatorEnum.Eq, value: listed }] }],
    });
    const after = sandbox.apiReadsPerRecord('companies');
    expect((after.get(listed) ?? 0) - (before.get(listed) ?? 0)).toBe(4);
    // Only the records answered: the unknown id and the companies after the one-record page were not read.
    expect(after.has('999999999')).toBe(false);
    expect([...after.values()].reduce((a, b) => a + b, 0) - [...before.values()].reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('returns property history newest first for deals', async () => {
    const deal = await client.crm.deals.basicApi.getById(id('deals', 'd1'), ['dealstage'], ['dealstage']);
    const history = deal.propertiesWithHistory?.dealstage ?? [];
    expect(history.map((h) => h.value)).toEqual(['proposal', 'discovery']);
    expect(deal.properties.hs_lastmodifieddate).toBe('2026-04-01T00:00:00.000Z');
  });

  it('answers 404 in HubSpot shape for an unknown id', async () => {
    const { code, body } = await failure(client.crm.deals.basicApi.getById('999999999'));
    expect(code).toBe(404);
    expect(body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
  });

  it('batch-creates and batch-updates, appending history and bumping the modified date', async () => {
    const created = await client.crm.contacts.batchApi.create({
      inputs: [
        { properties: { email: 'new1@t.test', lifecyclestage: 'lead' }, associations: [] },
        { properties: { email: 'new2@t.test' }, associations: [] },
      ],
    });
    expect(created.results).toHaveLength(2);
    const target = created.results.find((r) => r.properties.email === 'new1@t.test');
    if (!target) throw new Error('created contact missing');
    await new Promise((r) => setTimeout(r, 5));
    const updated = await client.crm.contacts.batchApi.update({
      inputs: [{ id: target.id, properties: { lifecyclestage: 'customer', balance: '10.50' } }],
    });
    expect(updated.results[0]?.properties.balance).toBe('10.5');
    const read = await client.crm.contacts.batchApi.read({
      inputs: [{ id: target.id }],
      properties: ['lifecyclestage'],
      propertiesWithHistory: ['lifecyclestage'],
    });
    const record = read.results[0];
    expect(record?.propertiesWithHistory?.lifecyclestage?.map((h) => h.value)).toEqual(['customer', 'lead']);
    expect(record?.propertiesWithHistory?.lifecyclestage?.[0]?.sourceType).toBe('INTEGRATION');
    expect(Date.parse(record?.properties.lastmodifieddate ?? '')).toBeGreaterThan(Date.parse(record?.properties.createdate ?? ''));
  });

  it('property history names who changed a value: the app (INTEGRATION + app id), a person (CRM_UI + user), an import', async () => {
    const contactId = id('contacts', 'ct2');
    await client.crm.contacts.basicApi.update(contactId, { properties: { jobtitle: 'By the app' } });
    sandbox.simulateUserUpdate('contacts', contactId, { jobtitle: 'By a person' });
    sandbox.simulateUserUpdate('contacts', contactId, { jobtitle: 'By an import' }, { sourceType: 'IMPORT', sourceId: 'import:77' });
    const read = await client.crm.contacts.batchApi.read({
      inputs: [{ id: contactId }],
      properties: ['jobtitle'],
      propertiesWithHistory: ['jobtitle'],
    });
    const history = read.results[0]?.propertiesWithHistory?.jobtitle ?? [];
    // Newest first, as HubSpot documents.
    expect(history.slice(0, 3).map((h) => [h.value, h.sourceType, h.sourceId, h.updatedByUserId])).toEqual([
      ['By an import', 'IMPORT', 'import:77', undefined],
      ['By a person', 'CRM_UI', 'userId:7000001', 7000001],
      ['By the app', 'INTEGRATION', sandbox.oauth.appId, undefined],
    ]);
    expect(sandbox.apiWritesPerRecord('contacts').get(contactId)).toBe(1);
  });

  it('rejects unknown properties, bad enumeration options and read-only values in one VALIDATION_ERROR', async () => {
    const { code, body } = await failure(
      client.crm.contacts.basicApi.create({ properties: { nope: 'x', housing: 'maybe', hs_object_id: '1' }, associations: [] }),
    );
    expect(code).toBe(400);
    expect(body.category).toBe('VALIDATION_ERROR');
    const message = String(body.message);
    expect(message).toContain('PROPERTY_DOESNT_EXIST');
    expect(message).toContain('INVALID_OPTION');
    expect(message).toContain('READ_ONLY_VALUE');
  });

  it('keeps contact emails unique: 409 CONFLICT naming the existing contact', async () => {
    const dup = await failure(client.crm.contacts.basicApi.create({ properties: { email: 'X@ACME.test' }, associations: [] }));
    expect(dup.code).toBe(409);
    expect(dup.body).toMatchObject({ category: 'CONFLICT', message: `Contact already exists. Existing ID: ${id('contacts', 'ct1')}` });
    const inBatch = await failure(
      client.crm.contacts.batchApi.create({
        inputs: [
          { properties: { email: 'twin@t.test' }, associations: [] },
          { properties: { email: 'twin@t.test' }, associations: [] },
        ],
      }),
    );
    expect(inBatch.code).toBe(409);
    const clash = await failure(client.crm.contacts.basicApi.update(id('contacts', 'ct2'), { properties: { email: 'x@acme.test' } }));
    expect(clash.code).toBe(409);
    // Re-writing a contact's own email is not a conflict.
    await client.crm.contacts.basicApi.update(id('contacts', 'ct1'), { properties: { email: 'x@acme.test' } });
  });

  it('looks records up by idProperty email, and refuses hs_object_id as an idProperty on writes', async () => {
    const byEmail = await client.crm.contacts.basicApi.getById('Y@GLOBEX.test', ['firstname'], undefined, undefined, false, 'email');
    expect(byEmail.id).toBe(id('contacts', 'ct2'));
    const read = await client.crm.contacts.batchApi.read({
      inputs: [{ id: 'z@globex.test' }],
      idProperty: 'email',
      properties: ['firstname'],
      propertiesWithHistory: [],
    });
    expect(read.results[0]?.properties.firstname).toBe('Z');
    const updated = await client.crm.contacts.batchApi.update({
      inputs: [{ id: 'z@globex.test', idProperty: 'email', properties: { jobtitle: 'CTO' } }],
    });
    expect(updated.results[0]?.id).toBe(id('contacts', 'ct3'));
    const refused = await failure(
      client.crm.contacts.batchApi.update({
        inputs: [{ id: id('contacts', 'ct3'), idProperty: 'hs_object_id', properties: { jobtitle: 'CEO' } }],
      }),
    );
    expect(refused.code).toBe(400);
    expect(String(refused.body.message)).toContain('non-unique 0-1 property hs_object_id');
    const notUnique = await failure(client.crm.contacts.basicApi.getById('Z', undefined, undefined, undefined, false, 'firstname'));
    expect(notUnique.code).toBe(400);
  });

  it('rejects batches of more than 100 inputs with 400', async () => {
    const inputs = Array.from({ length: 101 }, () => ({ id: id('contacts', 'ct1'), properties: { firstname: 'Q' } }));
    const { code, body } = await failure(client.crm.contacts.batchApi.update({ inputs }));
    expect(code).toBe(400);
    expect(body.category).toBe('VALIDATION_ERROR');
    const read = await failure(
      client.crm.contacts.batchApi.read({ inputs: inputs.map((i) => ({ id: i.id })), properties: [], propertiesWithHistory: [] }),
    );
    expect(read.code).toBe(400);
  });

  it('caps batch reads that ask for property history at 50 inputs', async () => {
    const inputs = Array.from({ length: 51 }, (_, i) => ({ id: String(1_000_000 + i) }));
    const res = await failure(client.crm.deals.batchApi.read({ inputs, properties: [], propertiesWithHistory: ['dealstage'] }));
    expect(res.code).toBe(400);
    expect(String(res.body.message)).toContain('property histories is 50');
    const without = await client.crm.deals.batchApi.read({ inputs, properties: [], propertiesWithHistory: [] });
    expect(without.results).toHaveLength(0);
  });

  it('batch read reports missing ids as a 207 multi-status', async () => {
    const read = await client.crm.deals.batchApi.read({
      inputs: [{ id: id('deals', 'd2') }, { id: '77777777' }],
      properties: ['amount'],
      propertiesWithHistory: [],
    });
    expect(read.results).toHaveLength(1);
    expect('numErrors' in read ? read.numErrors : 0).toBe(1);
  });

  it('creates properties and groups, and answers 409 when a property exists', async () => {
    await client.crm.properties.groupsApi.create('contacts', { name: 'closewise', label: 'Closewise' });
    const created = await client.crm.properties.coreApi.create('contacts', {
      name: 'closewise_contact_priority',
      label: 'Priority',
      type: PropertyCreateTypeEnum.Enumeration,
      fieldType: PropertyCreateFieldTypeEnum.Select,
      groupName: 'closewise',
      options: ['very_high', 'high', 'medium', 'low'].map((v, i) => ({ label: v, value: v, displayOrder: i, hidden: false })),
    });
    expect(created.options.map((o) => o.value)).toEqual(['very_high', 'high', 'medium', 'low']);
    const one = await client.crm.properties.coreApi.getByName('contacts', 'closewise_contact_priority');
    expect(one.groupName).toBe('closewise');
    const groups = await client.crm.properties.groupsApi.getAll('contacts');
    expect(groups.results.map((g) => g.name)).toContain('closewise');
    const conflict = await failure(
      client.crm.properties.coreApi.create('contacts', {
        name: 'closewise_contact_priority',
        label: 'P',
        type: PropertyCreateTypeEnum.String,
        fieldType: PropertyCreateFieldTypeEnum.Text,
        groupName: 'closewise',
      }),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.body.category).toBe('OBJECT_ALREADY_EXISTS');
    const badGroup = await failure(
      client.crm.properties.coreApi.create('contacts', {
        name: 'x_other',
        label: 'P',
        type: PropertyCreateTypeEnum.String,
        fieldType: PropertyCreateFieldTypeEnum.Text,
        groupName: 'missing_group',
      }),
    );
    expect(badGroup.code).toBe(400);
  });

  it('reads associations v4 in batch with HubSpot type ids', async () => {
    const res = await client.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: id('deals', 'd1') }] });
    expect(res.results[0]?.to.map((t) => String(t.toObjectId))).toEqual([id('contacts', 'ct1')]);
    expect(res.results[0]?.to[0]?.associationTypes.map((t) => t.typeId)).toContain(3);
    const companies = await client.crm.associations.v4.batchApi.getPage('contacts', 'companies', {
      inputs: [{ id: id('contacts', 'ct1') }, { id: id('contacts', 'ct2') }],
    });
    expect(companies.results).toHaveLength(2);
    expect(companies.results[0]?.to[0]?.associationTypes.map((t) => t.typeId).sort((a, b) => a - b)).toEqual([1, 279]);
    const calls = await client.crm.associations.v4.batchApi.getPage('contacts', 'calls', { inputs: [{ id: id('contacts', 'ct1') }] });
    expect(calls.results[0]?.to[0]?.associationTypes.map((t) => t.typeId)).toContain(193);
    const tooMany = await failure(
      client.crm.associations.v4.batchApi.getPage('contacts', 'companies', {
        inputs: Array.from({ length: 1001 }, (_, i) => ({ id: String(i + 1) })),
      }),
    );
    expect(tooMany.code).toBe(400);
  });

  it('includes associated ids when reads name `associations`', async () => {
    const contact = await client.crm.contacts.basicApi.getById(id('contacts', 'ct1'), ['email'], undefined, ['companies', 'deals']);
    expect(contact.associations?.companies?.results).toEqual([
      { id: id('companies', 'co1'), type: 'contact_to_company' },
      { id: id('companies', 'co1'), type: 'contact_to_company_unlabeled' },
    ]);
    expect(contact.associations?.deals?.results).toEqual([{ id: id('deals', 'd1'), type: 'contact_to_deal' }]);
    const page = await client.crm.deals.basicApi.getPage(10, undefined, ['dealname'], undefined, ['contacts']);
    const d1 = page.results.find((r) => r.id === id('deals', 'd1'));
    expect(d1?.associations?.contacts?.results.map((r) => r.id)).toEqual([id('contacts', 'ct1')]);
  });

  it('serves deal pipelines with stage metadata as strings', async () => {
    const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
    expect(pipelines.results.map((p) => p.id)).toEqual(['sales']);
    const won = pipelines.results[0]?.stages.find((s) => s.id === 'won');
    expect(won?.metadata).toEqual({ isClosed: 'true', probability: '1' });
    const deal = await client.crm.deals.basicApi.getById(id('deals', 'd2'), ['hs_is_closed_won']);
    expect(deal.properties.hs_is_closed_won).toBe('true');
  });

  it('requires hs_timestamp when creating an engagement', async () => {
    const missing = await failure(client.crm.objects.notes.basicApi.create({ properties: { hs_note_body: 'x' }, associations: [] }));
    expect(missing.code).toBe(400);
    expect(String(missing.body.message)).toContain('hs_timestamp');
    const note = await client.crm.objects.notes.basicApi.create({
      properties: { hs_note_body: 'x', hs_timestamp: '2026-06-01T10:00:00Z' },
      associations: [
        {
          to: { id: id('contacts', 'ct2') },
          types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 202 }],
        },
      ],
    });
    const linked = await client.crm.associations.v4.batchApi.getPage('notes', 'contacts', { inputs: [{ id: note.id }] });
    expect(linked.results[0]?.to.map((t) => String(t.toObjectId))).toEqual([id('contacts', 'ct2')]);
  });

  it('lists engagement objects with their timestamps', async () => {
    const calls = await client.crm.objects.calls.basicApi.getPage(10, undefined, ['hs_call_direction', 'hs_timestamp']);
    expect(calls.results).toHaveLength(1);
    expect(calls.results[0]?.properties).toMatchObject({ hs_call_direction: 'OUTBOUND', hs_timestamp: '2026-03-02T10:00:00.000Z' });
  });

  it('counts requests per path', () => {
    const stats = sandbox.stats();
    expect(stats.requests).toBeGreaterThan(10);
    expect(stats.byPath['GET /crm/v3/objects/contacts']).toBeGreaterThanOrEqual(2);
    expect(stats.byPath['GET /crm/v3/objects/deals/{id}']).toBeGreaterThanOrEqual(1);
  });

  it('lists only archived records with archived=true, with archivedAt, paged with after', async () => {
    const created = await client.crm.contacts.batchApi.create({
      inputs: [1, 2, 3].map((n) => ({ properties: { email: `gone${n}@archive.test` }, associations: [] })),
    });
    const ids = created.results.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
    await client.crm.contacts.basicApi.archive(ids[0] as string);
    await client.crm.contacts.basicApi.archive(ids[2] as string);
    const first = await client.crm.objects.basicApi.getPage('contacts', 1, undefined, ['email'], undefined, undefined, true);
    expect(first.results.map((r) => r.id)).toEqual([ids[0]]);
    expect(first.results[0]).toMatchObject({ archived: true });
    expect(first.results[0]?.archivedAt).toBeInstanceOf(Date);
    const after = first.paging?.next?.after;
    expect(after).toBeDefined();
    const second = await client.crm.objects.basicApi.getPage('contacts', 1, after, ['email'], undefined, undefined, true);
    expect(second.results.map((r) => r.id)).toEqual([ids[2]]);
    expect(second.paging).toBeUndefined();
    // The default list leaves them out and keeps the live one.
    const live = await client.crm.contacts.basicApi.getPage(100);
    const liveIds = live.results.map((r) => r.id);
    expect(liveIds).toContain(ids[1]);
    expect(liveIds).not.toContain(ids[0]);
    expect(liveIds).not.toContain(ids[2]);
  });

  it('archives engagements like records: listed only with archived=true, gone from lists, reads and search', async () => {
    const created = await client.crm.objects.batchApi.create('emails', {
      inputs: [1, 2].map((n) => ({
        properties: { hs_timestamp: `2026-03-0${n}T09:00:00.000Z`, hs_email_subject: `gone ${n}` },
        associations: [],
      })),
    });
    const [kept, gone] = created.results.map((r) => r.id).sort((a, b) => Number(a) - Number(b)) as [string, string];
    await client.crm.objects.basicApi.archive('emails', gone);
    const archived = await client.crm.objects.basicApi.getPage('emails', 100, undefined, ['hs_timestamp'], undefined, undefined, true);
    expect(archived.results.map((r) => r.id)).toEqual([gone]);
    expect(archived.results[0]).toMatchObject({ archived: true });
    expect(archived.results[0]?.archivedAt).toBeInstanceOf(Date);
    const liveIds = (await client.crm.objects.basicApi.getPage('emails', 100)).results.map((r) => r.id);
    expect(liveIds).toContain(kept);
    expect(liveIds).not.toContain(gone);
    expect((await failure(client.crm.objects.basicApi.getById('emails', gone))).code).toBe(404);
    const found = await client.crm.objects.searchApi.doSearch('emails', {
      filterGroups: [],
      limit: 100,
      after: '0',
      sorts: [],
      properties: [],
    });
    expect(found.results.map((r) => r.id)).not.toContain(gone);
  });
});
