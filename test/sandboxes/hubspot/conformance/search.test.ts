import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum, type PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalData, SeedRecord } from '../../seed/portal-data.ts';
import { type HubSpotSandbox, startHubSpotSandbox } from '../index.ts';
import { failure, manualClock } from './helpers.ts';

const N = 10_250;

/** Contacts c0..c{N-1}: age = i % 90, created one minute apart, every third has a country. */
function manyContacts(): PortalData {
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  const contacts: SeedRecord[] = Array.from({ length: N }, (_, i) => {
    const at = new Date(base + i * 60_000).toISOString();
    return {
      id: `c${i}`,
      createdAt: at,
      updatedAt: at,
      properties: { email: `User${i}@Example.test`, age: String(i % 90), ...(i % 3 === 0 ? { country: i % 2 ? 'PT' : 'FR' } : {}) },
      history: {},
    };
  });
  return {
    name: 'search',
    now: '2026-06-30T00:00:00.000Z',
    owners: [],
    pipelines: [],
    customProperties: [{ objectType: 'contact', name: 'age', label: 'Age', type: 'number', fieldType: 'number' }],
    companies: [],
    contacts,
    deals: [],
    activities: [],
    associations: [],
  };
}

describe('CRM search', () => {
  let sandbox: HubSpotSandbox;
  let client: Client;
  const search = (req: Partial<PublicObjectSearchRequest>) => client.crm.contacts.searchApi.doSearch(req as PublicObjectSearchRequest);
  const f = (
    propertyName: string,
    operator: FilterOperatorEnum,
    extra: { value?: string; highValue?: string; values?: string[] } = {},
  ) => ({
    propertyName,
    operator,
    ...extra,
  });

  beforeAll(async () => {
    // Search has its own 5/s limit; the suite fires more than that, so limits are off here (rate-limits.test.ts pins them).
    sandbox = await startHubSpotSandbox({ limits: false });
    sandbox.loadPortal(manyContacts());
    client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('compares numbers numerically (LT, LTE, GT, GTE, BETWEEN)', async () => {
    const count = async (filters: ReturnType<typeof f>[]) => (await search({ filterGroups: [{ filters }], limit: 1 })).total;
    const perAge = Math.floor(N / 90); // every age appears 113 or 114 times
    expect(await count([f('age', FilterOperatorEnum.Lt, { value: '10' })])).toBeGreaterThanOrEqual(10 * perAge);
    const lte = await count([f('age', FilterOperatorEnum.Lte, { value: '9' })]);
    expect(lte).toBe(await count([f('age', FilterOperatorEnum.Lt, { value: '10' })]));
    expect(await count([f('age', FilterOperatorEnum.Between, { value: '10', highValue: '19' })])).toBe(
      (await count([f('age', FilterOperatorEnum.Gte, { value: '10' })])) -
        (await count([f('age', FilterOperatorEnum.Gt, { value: '19' })])),
    );
  });

  it('matches EQ/IN case-insensitively and NEQ/NOT_IN as complements', async () => {
    const eq = await search({
      filterGroups: [{ filters: [f('email', FilterOperatorEnum.Eq, { value: 'user42@example.test' })] }],
      properties: ['email'],
    });
    expect(eq.total).toBe(1);
    expect(eq.results[0]?.properties.email).toBe('User42@Example.test');
    const inList = await search({ filterGroups: [{ filters: [f('country', FilterOperatorEnum.In, { values: ['pt', 'FR'] })] }], limit: 1 });
    const has = await search({ filterGroups: [{ filters: [f('country', FilterOperatorEnum.HasProperty)] }], limit: 1 });
    const hasNot = await search({ filterGroups: [{ filters: [f('country', FilterOperatorEnum.NotHasProperty)] }], limit: 1 });
    expect(inList.total).toBe(has.total);
    expect(has.total + hasNot.total).toBe(N);
    const neq = await search({ filterGroups: [{ filters: [f('country', FilterOperatorEnum.Neq, { value: 'PT' })] }], limit: 1 });
    const pt = await search({ filterGroups: [{ filters: [f('country', FilterOperatorEnum.Eq, { value: 'PT' })] }], limit: 1 });
    expect(neq.total + pt.total).toBe(N);
    const notIn = await search({ filterGroups: [{ filters: [f('country', FilterOperatorEnum.NotIn, { values: ['PT'] })] }], limit: 1 });
    expect(notIn.total).toBe(neq.total);
  });

  it('ORs filter groups and ANDs filters within a group', async () => {
    const a = f('age', FilterOperatorEnum.Eq, { value: '1' });
    const b = f('age', FilterOperatorEnum.Eq, { value: '2' });
    const either = await search({ filterGroups: [{ filters: [a] }, { filters: [b] }], limit: 1 });
    const one = await search({ filterGroups: [{ filters: [a] }], limit: 1 });
    const two = await search({ filterGroups: [{ filters: [b] }], limit: 1 });
    expect(either.total).toBe(one.total + two.total);
    const both = await search({ filterGroups: [{ filters: [a, b] }], limit: 1 });
    expect(both.total).toBe(0);
  });

  it('filters datetimes given as epoch ms and sorts descending', async () => {
    const cutoff = Date.parse('2026-01-01T00:00:00.000Z') + 100 * 60_000;
    const res = await search({
      filterGroups: [{ filters: [f('createdate', FilterOperatorEnum.Lt, { value: String(cutoff) })] }],
      sorts: ['-createdate'],
      properties: ['createdate'],
      limit: 3,
    });
    expect(res.total).toBe(100);
    const stamps = res.results.map((r) => Date.parse(r.properties.createdate ?? ''));
    expect(stamps).toEqual([...stamps].sort((x, y) => y - x));
    expect(stamps[0]).toBe(cutoff - 60_000);
  });

  it('pages with after up to 200 per page and refuses more than 200', async () => {
    const first = await search({ limit: 200, sorts: ['hs_object_id'] });
    expect(first.results).toHaveLength(200);
    expect(first.paging?.next?.after).toBe('200');
    const second = await search({ limit: 200, after: '200', sorts: ['hs_object_id'] });
    expect(Number(second.results[0]?.id)).toBeGreaterThan(Number(first.results[199]?.id));
    const tooBig = await failure(search({ limit: 201 }));
    expect(tooBig.code).toBe(400);
    expect(tooBig.body.category).toBe('VALIDATION_ERROR');
  });

  it('reports the full total but refuses to page past 10,000 results', async () => {
    const page = await search({ limit: 200, after: '9800' });
    expect(page.total).toBe(N);
    expect(page.results).toHaveLength(200);
    const beyond = await failure(search({ limit: 200, after: '10000' }));
    expect(beyond.code).toBe(400);
  });

  it('pages past 10,000 with an hs_object_id GT cursor, as HubSpot recommends', async () => {
    const ids: string[] = [];
    let cursor = '0';
    for (;;) {
      const page = await search({
        filterGroups: [{ filters: [f('hs_object_id', FilterOperatorEnum.Gt, { value: cursor })] }],
        sorts: ['hs_object_id'],
        limit: 200,
      });
      ids.push(...page.results.map((r) => r.id));
      if (page.results.length < 200) break;
      cursor = page.results[199]?.id ?? cursor;
    }
    expect(new Set(ids).size).toBe(N);
  });

  it('enforces 5 groups, 6 filters per group and 18 filters in total', async () => {
    const filter = f('age', FilterOperatorEnum.Gte, { value: '0' });
    const groups = (g: number, per: number) => Array.from({ length: g }, () => ({ filters: Array.from({ length: per }, () => filter) }));
    expect((await search({ filterGroups: groups(3, 6), limit: 1 })).total).toBe(N);
    for (const bad of [groups(6, 1), groups(1, 7), groups(4, 5)]) {
      const res = await failure(search({ filterGroups: bad, limit: 1 }));
      expect(res.code).toBe(400);
      expect(res.body.category).toBe('VALIDATION_ERROR');
    }
  });

  it('sorts numbers numerically and puts unset values last in either direction', async () => {
    const byAge = await search({ sorts: [{ propertyName: 'age', direction: 'DESCENDING' }] as never, properties: ['age'], limit: 200 });
    const ages = byAge.results.map((r) => Number(r.properties.age));
    expect(ages[0]).toBe(89);
    expect(ages).toEqual([...ages].sort((a, b) => b - a));
    // Ages 0 and 1: every age-0 contact has a country (i % 90 === 0 implies i % 3 === 0), no age-1 contact does.
    const ageZeroOrOne = [{ filters: [f('age', FilterOperatorEnum.Between, { value: '0', highValue: '1' })] }];
    for (const direction of ['ASCENDING', 'DESCENDING']) {
      const page = await search({
        filterGroups: ageZeroOrOne,
        sorts: [{ propertyName: 'country', direction }] as never,
        properties: ['country'],
        limit: 200,
      });
      const countries = page.results.map((r) => r.properties.country ?? null);
      const firstUnset = countries.indexOf(null);
      expect(firstUnset).toBeGreaterThan(0);
      expect(countries.slice(firstUnset).every((c) => c === null)).toBe(true);
    }
  });

  it('allows one sorting rule per search', async () => {
    const res = await failure(search({ sorts: ['createdate', 'hs_object_id'], limit: 1 }));
    expect(res.code).toBe(400);
  });

  it("can lag writes like HubSpot's index: new records are missing and changes show old values until it catches up", async () => {
    const clock = manualClock();
    const lagging = await startHubSpotSandbox({ limits: false, clock: clock.now, searchIndexDelayMs: 5_000 });
    try {
      const api = new Client({ accessToken: lagging.privateAppToken, basePath: lagging.url });
      const created = await api.crm.contacts.basicApi.create({
        properties: { email: 'lag@t.test', lifecyclestage: 'lead' },
        associations: [],
      });
      const byEmail = {
        filterGroups: [{ filters: [f('email', FilterOperatorEnum.Eq, { value: 'lag@t.test' })] }],
        properties: ['lifecyclestage'],
      };
      const doSearch = (req: typeof byEmail) => api.crm.contacts.searchApi.doSearch(req as PublicObjectSearchRequest);
      expect((await doSearch(byEmail)).total).toBe(0);
      clock.advance(5_000);
      expect((await doSearch(byEmail)).results[0]?.properties.lifecyclestage).toBe('lead');
      await api.crm.contacts.basicApi.update(created.id, { properties: { lifecyclestage: 'customer' } });
      expect((await doSearch(byEmail)).results[0]?.properties.lifecyclestage).toBe('lead');
      clock.advance(5_000);
      expect((await doSearch(byEmail)).results[0]?.properties.lifecyclestage).toBe('customer');
    } finally {
      await lagging.stop();
    }
  });

  it('rejects BETWEEN without highValue and unknown properties', async () => {
    const between = await failure(search({ filterGroups: [{ filters: [f('age', FilterOperatorEnum.Between, { value: '1' })] }] }));
    expect(between.code).toBe(400);
    expect(String(between.body.message)).toContain('highValue');
    const unknown = await failure(search({ filterGroups: [{ filters: [f('nope', FilterOperatorEnum.Eq, { value: '1' })] }] }));
    expect(unknown.code).toBe(400);
  });
});
