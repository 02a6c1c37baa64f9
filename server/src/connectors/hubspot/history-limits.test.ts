import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreSyncSink } from '../../store/sync-sink.ts';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import { LIST_URL_BUDGET, listQueryLength } from './history-reads.ts';
import { HubSpotConnector } from './hubspot-connector.ts';
import { historyPropertiesToRead, propertiesToRead } from './mapping.ts';
import { HISTORY_SCOPE, HISTORY_SCOPE_KEY } from './sync-position.ts';

/** Enough custom deal properties that naming them all (twice, with history) in a list URL passes HubSpot's limit. */
const WIDE = 250;
const wideName = (i: number) => `deal_qualification_answer_${String(i).padStart(3, '0')}`;

/** A small portal whose deals carry many custom properties, and whose contacts' `seats_requested` changed over time. */
function widePortal(): PortalData {
  const portal = generateSyntheticPortal({ seed: 9, contacts: 120 });
  for (let i = 0; i < WIDE; i += 1) {
    portal.customProperties.push({ objectType: 'deal', name: wideName(i), label: `Answer ${i}`, type: 'string', fieldType: 'text' });
  }
  for (const deal of portal.deals) deal.properties[wideName(WIDE - 1)] = `answer of ${deal.id}`;
  for (const contact of portal.contacts.slice(0, 10)) {
    const later = new Date(Date.parse(contact.createdAt) + 7 * 86_400_000).toISOString();
    contact.properties['seats_requested'] = '40';
    contact.history['seats_requested'] = [
      { value: '5', timestamp: contact.createdAt },
      { value: '40', timestamp: later },
    ];
  }
  return portal;
}

describe('history requests stay within HubSpot limits the sandbox enforces', () => {
  const portal = widePortal();
  let sandbox: HubSpotSandbox;
  let store: TestStore;
  let connector: HubSpotConnector;
  let ids: ReturnType<HubSpotSandbox['loadPortal']>['ids'];
  /** The cursor map the full sync returned, as the caller stores it. */
  let cursors: Record<string, string> = {};

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox();
    ids = sandbox.loadPortal(portal).ids;
    store = await openTestPglite();
    await store.db
      .insertInto('tenants')
      .values({
        id: 't',
        crm: 'hubspot',
        external_id: String(sandbox.portalId),
        name: 'p',
        auth_mode: 'private_app',
        token_ciphertext: null,
        token_expires_at: null,
        settings: '{}',
      })
      .execute();
    connector = new HubSpotConnector({
      accessToken: sandbox.privateAppToken,
      basePath: sandbox.url,
      portalId: String(sandbox.portalId),
      limits: { standard: { max: 1000, intervalMs: 1000 }, search: { max: 100, intervalMs: 1000 } },
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
    await store?.dispose();
  });

  /** 4xx answers other than 429 (rate limits are waited out and retried): requests HubSpot would refuse. */
  const refused = (byStatus: Record<string, number>) => Object.keys(byStatus).filter((s) => s.startsWith('4') && s !== '429');

  const historyOf = (type: 'deal' | 'contact', id: string, property: string) =>
    store.db
      .selectFrom('property_history')
      .select(['value'])
      .where('tenant_id', '=', 't')
      .where('object_type', '=', type)
      .where('external_id', '=', id)
      .where('property', '=', property)
      .orderBy('changed_at')
      .execute();

  it('answers 414 to a list URL naming every property twice, as HubSpot does', async () => {
    const fields = portal.customProperties.map((p) => ({ ...p, valueType: 'string' as const }));
    const properties = propertiesToRead('deal', fields);
    const history = historyPropertiesToRead('deal', fields);
    expect(listQueryLength(properties, history)).toBeGreaterThan(LIST_URL_BUDGET);
    const query = new URLSearchParams([
      ['limit', '50'],
      ...properties.map((p) => ['properties', p]),
      ...history.map((p) => ['propertiesWithHistory', p]),
    ]);
    const response = await fetch(`${sandbox.url}/crm/v3/objects/deals?${query}`, {
      headers: { authorization: `Bearer ${sandbox.privateAppToken}` },
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(414);
    // An HTML page, not HubSpot's JSON error: the SDK cannot even parse it, so the connector must not send one.
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    await expect(connector.client.crm.objects.basicApi.getPage('deals', 50, undefined, properties, history)).rejects.toThrow();
  });

  it('a full sync reads every property with its history, and no request is refused', async () => {
    sandbox.resetStats();
    const result = await connector.sync(createStoreSyncSink(store.db, 't'));
    cursors = result.nextCursors;
    expect(result.counts.deal).toBe(portal.deals.length);
    const stats = sandbox.stats();
    expect(refused(stats.byStatus)).toEqual([]);
    // Deals went the long way (ids listed, records read by id with the names in the body); contacts fit in the URL.
    expect(stats.byPath['POST /crm/v3/objects/deals/batch/read']).toBe(Math.ceil(portal.deals.length / 50));

    const deal = portal.deals[0]!;
    expect((await historyOf('deal', ids.deals.get(deal.id)!, `custom:${wideName(WIDE - 1)}`)).map((h) => h.value)).toEqual([
      `answer of ${deal.id}`,
    ]);
    for (const property of ['owner_id', 'pipeline', 'stage'])
      expect(await historyOf('deal', ids.deals.get(deal.id)!, property)).not.toEqual([]);
    const contact = portal.contacts[0]!;
    const contactId = ids.contacts.get(contact.id)!;
    expect((await historyOf('contact', contactId, 'custom:seats_requested')).map((h) => h.value)).toEqual(['5', '40']);
    for (const property of ['job_title', 'country', 'owner_id', 'custom:product_interest'])
      expect(await historyOf('contact', contactId, property)).toHaveLength(1);
  });

  it('an incremental sync reads changed records again with every property’s history', async () => {
    const deal = portal.deals[1]!;
    const dealId = ids.deals.get(deal.id)!;
    sandbox.simulateUserUpdate('deals', dealId, { [wideName(3)]: 'filled in later' });
    sandbox.resetStats();
    const result = await connector.sync(createStoreSyncSink(store.db, 't'), { cursors });
    expect(result.counts.deal).toBeLessThan(5);
    expect(refused(sandbox.stats().byStatus)).toEqual([]);
    expect((await historyOf('deal', dealId, `custom:${wideName(3)}`)).map((h) => h.value)).toEqual(['filled in later']);
  });

  it('a portal last fully synced with only four properties’ history is synced in full once more', async () => {
    const { [HISTORY_SCOPE_KEY]: _scope, ...before } = cursors;
    const result = await connector.sync(createStoreSyncSink(store.db, 't'), { cursors: before });
    expect(result.counts.deal).toBe(portal.deals.length);
    expect(result.nextCursors[HISTORY_SCOPE_KEY]).toBe(HISTORY_SCOPE);
    const next = await connector.sync(createStoreSyncSink(store.db, 't'), { cursors: result.nextCursors });
    expect(next.counts.deal).toBeLessThan(5);
  });
});
