import { Client } from '@hubspot/api-client';
import {
  PropertyCreateFieldTypeEnum as Field,
  PropertyCreateTypeEnum as Type,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubSpotSandbox, startHubSpotSandbox } from '../index.ts';
import { failure } from './helpers.ts';

describe('properties and property groups', () => {
  let sandbox: HubSpotSandbox;
  let client: Client;
  beforeAll(async () => {
    sandbox = await startHubSpotSandbox();
    client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    await client.crm.properties.groupsApi.create('deals', { name: 'closewise', label: 'Closewise' });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const create = (input: { name: string; type: Type; fieldType: Field; options?: Array<{ label: string; value: string }> }) =>
    client.crm.properties.coreApi.create('deals', {
      label: input.name,
      groupName: 'closewise',
      ...input,
      options: input.options?.map((o, i) => ({ ...o, displayOrder: i, hidden: false })),
    });

  it('creates number, datetime, enumeration and bool properties and lists them', async () => {
    await create({ name: 'closewise_win_probability', type: Type.Number, fieldType: Field.Number });
    await create({ name: 'closewise_scored_at', type: Type.Datetime, fieldType: Field.Date });
    await create({
      name: 'closewise_deal_score',
      type: Type.Enumeration,
      fieldType: Field.Select,
      options: ['1', '2', '3', '4', '5'].map((v) => ({ label: v, value: v })),
    });
    await create({
      name: 'closewise_flag',
      type: Type.Bool,
      fieldType: Field.Booleancheckbox,
      options: [
        { label: 'Yes', value: 'true' },
        { label: 'No', value: 'false' },
      ],
    });
    const all = await client.crm.properties.coreApi.getAll('deals');
    const ours = all.results.filter((p) => p.groupName === 'closewise').map((p) => p.name);
    expect(ours.sort()).toEqual(['closewise_deal_score', 'closewise_flag', 'closewise_scored_at', 'closewise_win_probability']);
    const hubspotDefined = all.results.find((p) => p.name === 'dealstage');
    expect(hubspotDefined?.modificationMetadata?.readOnlyDefinition).toBe(true);
  });

  it('rejects invalid definitions with VALIDATION_ERROR', async () => {
    const cases = [
      create({ name: 'Bad Name', type: Type.String, fieldType: Field.Text }),
      create({ name: 'num_as_select', type: Type.Number, fieldType: Field.Select }),
      create({ name: 'bool_without_options', type: Type.Bool, fieldType: Field.Booleancheckbox }),
      client.crm.properties.coreApi.create('deals', {
        name: 'no_group',
        label: 'x',
        type: Type.String,
        fieldType: Field.Text,
        groupName: 'nope',
      }),
    ];
    for (const c of cases) {
      const res = await failure(c);
      expect(res.code).toBe(400);
      expect(res.body.category).toBe('VALIDATION_ERROR');
    }
  });

  it('answers 409 for an existing name, whatever the type', async () => {
    const res = await failure(create({ name: 'closewise_win_probability', type: Type.String, fieldType: Field.Text }));
    expect(res.code).toBe(409);
    expect(res.body.category).toBe('OBJECT_ALREADY_EXISTS');
    const existing = await client.crm.properties.coreApi.getByName('deals', 'closewise_win_probability');
    expect(existing.type).toBe('number');
  });

  it('enforces enumeration options on writes, and updates options by PATCH', async () => {
    const deal = await client.crm.deals.basicApi.create({ properties: { dealname: 'd', closewise_deal_score: '3' }, associations: [] });
    const bad = await failure(client.crm.deals.basicApi.update(deal.id, { properties: { closewise_deal_score: '6' } }));
    expect(bad.code).toBe(400);
    expect(String(bad.body.message)).toContain('INVALID_OPTION');
    await client.crm.properties.coreApi.update('deals', 'closewise_deal_score', {
      options: ['1', '2', '3', '4', '5', '6'].map((v, i) => ({ label: v, value: v, displayOrder: i, hidden: false })),
    });
    await client.crm.deals.basicApi.update(deal.id, { properties: { closewise_deal_score: '6' } });
    const hubspotDefined = await failure(client.crm.properties.coreApi.update('deals', 'dealname', { label: 'Renamed' }));
    expect(hubspotDefined.code).toBe(400);
  });

  it('archives a custom property; writes to it then fail', async () => {
    await create({ name: 'closewise_temp', type: Type.String, fieldType: Field.Text });
    await client.crm.properties.coreApi.archive('deals', 'closewise_temp');
    expect((await failure(client.crm.properties.coreApi.getByName('deals', 'closewise_temp'))).code).toBe(404);
    const write = await failure(client.crm.deals.basicApi.create({ properties: { closewise_temp: 'x' }, associations: [] }));
    expect(String(write.body.message)).toContain('PROPERTY_DOESNT_EXIST');
  });

  it('normalises values as HubSpot stores them', async () => {
    const deal = await client.crm.deals.basicApi.create({
      properties: { amount: '1000.50', closewise_scored_at: '1767225600000', closedate: '2026-03-01T10:00:00Z', closewise_flag: 'TRUE' },
      associations: [],
    });
    const read = await client.crm.deals.basicApi.getById(deal.id, ['amount', 'closewise_scored_at', 'closedate', 'closewise_flag']);
    expect(read.properties).toMatchObject({
      amount: '1000.5',
      closewise_scored_at: '2026-01-01T00:00:00.000Z',
      closedate: '2026-03-01T10:00:00.000Z',
      closewise_flag: 'true',
    });
    const notNumber = await failure(client.crm.deals.basicApi.update(deal.id, { properties: { amount: 'lots' } }));
    expect(notNumber.code).toBe(400);
  });
});
