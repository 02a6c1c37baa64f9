import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@hubspot/api-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type HubSpotSandbox, signV3, startHubSpotSandbox, type WebhookEvent } from '../index.ts';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  events: WebhookEvent[];
}

/** A stand-in for the app's webhook endpoint: records requests, answers with the statuses it is given, then 204. */
async function receiver(statuses: number[] = []): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const queue = [...statuses];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body, events: JSON.parse(body) as WebhookEvent[] });
      res.statusCode = queue.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks/hubspot`, received, server };
}

const subscriptions = [
  { subscriptionType: 'object.creation', objectType: 'contact' },
  { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'lifecyclestage' },
  { subscriptionType: 'object.propertyChange', objectType: 'deal', propertyName: 'dealstage' },
];

describe('webhooks', () => {
  let sandbox: HubSpotSandbox | undefined;
  let target: Server | undefined;
  afterEach(async () => {
    await sandbox?.stop();
    target?.close();
    sandbox = undefined;
  });

  it('POSTs batched events with a valid v3 signature and INTEGRATION/appId for API writes', async () => {
    const rx = await receiver();
    target = rx.server;
    sandbox = await startHubSpotSandbox({ portalId: 55, oauth: { appId: '9001' }, webhooks: { targetUrl: rx.url, subscriptions } });
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    const created = await client.crm.contacts.batchApi.create({
      inputs: [1, 2, 3].map((i) => ({ properties: { email: `w${i}@t.test`, lifecyclestage: 'lead' }, associations: [] })),
    });
    await client.crm.contacts.batchApi.update({
      inputs: created.results.map((r) => ({ id: r.id, properties: { lifecyclestage: 'customer', firstname: 'unsubscribed' } })),
    });
    await sandbox.webhooks.drain();
    const events = rx.received.flatMap((r) => r.events);
    expect(events.filter((e) => e.subscriptionType === 'object.creation')).toHaveLength(3);
    const changes = events.filter((e) => e.subscriptionType === 'object.propertyChange');
    expect(changes).toHaveLength(3);
    expect(changes[0]).toMatchObject({
      portalId: 55,
      appId: 9001,
      objectTypeId: '0-1',
      propertyName: 'lifecyclestage',
      propertyValue: 'customer',
      changeSource: 'INTEGRATION',
      sourceId: '9001',
      attemptNumber: 0,
    });
    // Batched: fewer requests than events.
    expect(rx.received.length).toBeLessThan(events.length);
    for (const r of rx.received) {
      const ts = Number(r.headers['x-hubspot-request-timestamp']);
      expect(Math.abs(Date.now() - ts)).toBeLessThan(60_000);
      expect(r.headers['x-hubspot-signature-v3']).toBe(signV3(sandbox.oauth.clientSecret, 'POST', rx.url, r.body, ts));
    }
  });

  it('marks UI edits as CRM_UI and sends no event for unchanged values', async () => {
    const rx = await receiver();
    target = rx.server;
    sandbox = await startHubSpotSandbox({ webhooks: { targetUrl: rx.url, subscriptions } });
    const id = sandbox.simulateUserCreate('contacts', { email: 'ui@t.test', lifecyclestage: 'lead' });
    sandbox.simulateUserUpdate('contacts', id, { lifecyclestage: 'opportunity' });
    sandbox.simulateUserUpdate('contacts', id, { lifecyclestage: 'opportunity' });
    await sandbox.webhooks.drain();
    const changes = rx.received.flatMap((r) => r.events).filter((e) => e.subscriptionType === 'object.propertyChange');
    expect(changes).toHaveLength(1);
    expect(changes[0]?.changeSource).toBe('CRM_UI');
    expect(String(changes[0]?.objectId)).toBe(id);
  });

  it('sends deletion events when records are archived', async () => {
    const rx = await receiver();
    target = rx.server;
    sandbox = await startHubSpotSandbox({
      webhooks: { targetUrl: rx.url, subscriptions: [{ subscriptionType: 'object.deletion', objectType: 'deal' }] },
    });
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    const deal = await client.crm.deals.basicApi.create({ properties: { dealname: 'gone' }, associations: [] });
    await client.crm.deals.basicApi.archive(deal.id);
    await sandbox.webhooks.drain();
    const events = rx.received.flatMap((r) => r.events);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subscriptionType: 'object.deletion', objectTypeId: '0-3', changeFlag: 'DELETED' });
    expect(String(events[0]?.objectId)).toBe(deal.id);
  });

  it('retries failed deliveries with increasing attemptNumber', async () => {
    const rx = await receiver([500, 503]);
    target = rx.server;
    sandbox = await startHubSpotSandbox({ webhooks: { targetUrl: rx.url, subscriptions, retryDelayMs: 10 } });
    sandbox.simulateUserCreate('contacts', { email: 'r@t.test' });
    await sandbox.webhooks.drain();
    expect(rx.received.map((r) => r.events[0]?.attemptNumber)).toEqual([0, 1, 2]);
    expect(sandbox.webhooks.deliveries().map((d) => d.status)).toEqual([500, 503, 204]);
  });
});
