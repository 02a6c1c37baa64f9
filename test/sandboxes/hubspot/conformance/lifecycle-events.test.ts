import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/models/AssociationSpec.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubSpotSandbox, signV3, startHubSpotSandbox, type WebhookEvent } from '../index.ts';

const subscriptions = [
  { subscriptionType: 'contact.privacyDeletion' },
  { subscriptionType: 'object.deletion', objectType: 'contact' },
  { subscriptionType: 'object.merge', objectType: 'contact' },
  { subscriptionType: 'object.associationChange', objectType: 'contact' },
  { subscriptionType: 'object.associationChange', objectType: 'company' },
];

describe('GDPR delete, merge and association changes: endpoints and their webhook events', () => {
  let sandbox: HubSpotSandbox;
  let server: Server;
  let url: string;
  let client: Client;
  const bodies: string[] = [];
  const signed: boolean[] = [];
  const events = () => bodies.flatMap((b) => JSON.parse(b) as WebhookEvent[]);

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const ts = Number(req.headers['x-hubspot-request-timestamp']);
        bodies.push(body);
        signed.push(req.headers['x-hubspot-signature-v3'] === signV3(sandbox.oauth.clientSecret, 'POST', url, body, ts));
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    sandbox = await startHubSpotSandbox({ portalId: 77, oauth: { appId: '9002' }, webhooks: { targetUrl: url, subscriptions } });
    client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
  });
  afterAll(async () => {
    await sandbox?.stop();
    server?.close();
  });

  const reset = async () => {
    await sandbox.webhooks.drain();
    bodies.length = 0;
    signed.length = 0;
  };

  it('association create and archive through v4 fire one associationChange per end, in HubSpot’s shape', async () => {
    const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'assoc@t.test' }, associations: [] });
    const company = await client.crm.companies.basicApi.create({ properties: { name: 'Assoc Co' }, associations: [] });
    await reset();
    await client.crm.associations.v4.basicApi.createDefault('contacts', contact.id, 'companies', company.id);
    await sandbox.webhooks.drain();
    expect(signed.every(Boolean)).toBe(true);
    const added = events();
    expect(added).toHaveLength(2);
    expect(added.find((e) => e.associationType === 'CONTACT_TO_COMPANY')).toMatchObject({
      subscriptionType: 'object.associationChange',
      fromObjectId: Number(contact.id),
      toObjectId: Number(company.id),
      fromObjectTypeId: '0-1',
      toObjectTypeId: '0-2',
      associationTypeId: 279,
      associationRemoved: false,
      isPrimaryAssociation: false,
      changeSource: 'INTEGRATION',
    });
    expect(added.find((e) => e.associationType === 'COMPANY_TO_CONTACT')).toMatchObject({
      fromObjectId: Number(company.id),
      associationTypeId: 280,
    });
    expect(added.every((e) => e.objectId === undefined)).toBe(true);

    await reset();
    await client.crm.associations.v4.batchApi.archive('contacts', 'companies', {
      inputs: [{ _from: { id: contact.id }, to: [{ id: company.id }] }],
    });
    await sandbox.webhooks.drain();
    expect(events().map((e) => [e.associationType, e.associationRemoved])).toEqual(
      expect.arrayContaining([
        ['CONTACT_TO_COMPANY', true],
        ['COMPANY_TO_CONTACT', true],
      ]),
    );
    const read = await client.crm.associations.v4.batchApi.getPage('contacts', 'companies', { inputs: [{ id: contact.id }] });
    expect(read.results).toEqual([]);
  });

  it('a merge keeps the primary, fills what it lacked, moves associations, deletes the other and fires object.merge', async () => {
    const company = await client.crm.companies.basicApi.create({ properties: { name: 'Merge Co' }, associations: [] });
    const primary = await client.crm.contacts.basicApi.create({ properties: { email: 'keep@t.test' }, associations: [] });
    const other = await client.crm.contacts.basicApi.create({
      properties: { email: 'gone@t.test', jobtitle: 'CFO' },
      associations: [
        {
          to: { id: company.id },
          types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 279 }],
        },
      ],
    });
    await reset();
    const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: primary.id, objectIdToMerge: other.id });
    expect(merged.id).toBe(primary.id);
    await sandbox.webhooks.drain();
    expect(events().find((e) => e.subscriptionType === 'object.merge')).toMatchObject({
      objectId: Number(primary.id),
      objectTypeId: '0-1',
      primaryObjectId: Number(primary.id),
      mergedObjectIds: [Number(other.id)],
      newObjectId: Number(primary.id),
      numberOfPropertiesMoved: 1,
    });
    const kept = await client.crm.contacts.basicApi.getById(primary.id, ['jobtitle'], undefined, ['companies']);
    expect(kept.properties.jobtitle).toBe('CFO');
    expect(kept.associations?.companies?.results.map((r) => r.id)).toContain(company.id);
    await expect(client.crm.contacts.basicApi.getById(other.id)).rejects.toMatchObject({ code: 404 });
    await expect(client.crm.contacts.basicApi.merge({ primaryObjectId: primary.id, objectIdToMerge: primary.id })).rejects.toMatchObject({
      code: 400,
    });
  });

  it('a GDPR delete removes the contact everywhere (archived lists too) and fires the deletion and contact.privacyDeletion', async () => {
    const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'erase@t.test' }, associations: [] });
    await reset();
    await client.crm.contacts.basicApi.purge({ objectId: contact.id });
    await sandbox.webhooks.drain();
    const fired = events();
    expect(fired.find((e) => e.subscriptionType === 'object.deletion')).toMatchObject({
      objectId: Number(contact.id),
      changeFlag: 'DELETED',
    });
    const privacy = fired.find((e) => e.subscriptionType === 'contact.privacyDeletion');
    expect(privacy).toMatchObject({ objectId: Number(contact.id), portalId: 77, appId: 9002 });
    // A hub event: the legacy shape, no objectTypeId.
    expect(privacy?.objectTypeId).toBeUndefined();
    await expect(client.crm.contacts.basicApi.getById(contact.id)).rejects.toMatchObject({ code: 404 });
    const archived = await client.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    expect(archived.results.map((r) => r.id)).not.toContain(contact.id);
    const search = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'email', operator: FilterOperatorEnum.Eq, value: 'erase@t.test' }] }],
    });
    expect(search.total).toBe(0);
    // Unknown id: 404; unknown email: HubSpot blocklists it and answers 204.
    await expect(client.crm.contacts.basicApi.purge({ objectId: contact.id })).rejects.toMatchObject({ code: 404 });
    await client.crm.contacts.basicApi.purge({ objectId: 'nobody@t.test', idProperty: 'email' });
  });
});
