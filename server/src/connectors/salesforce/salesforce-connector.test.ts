import { tinyPortal } from '@closewise/sandboxes/salesforce/fixtures/tiny-portal';
import { type SalesforceSandbox, startSalesforceSandbox } from '@closewise/sandboxes/salesforce/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadInputError, ConfigError } from '../../errors/errors.ts';
import type { ScoreWrite } from '../connector.ts';
import { soqlId } from './soql.ts';
import { connectToSandbox, memorySink } from './test-support/sandbox-connector.ts';
import { tokenSetSchema } from './tokens.ts';

describe('SalesforceConnector against the local sandbox (real jsforce)', () => {
  let sandbox: SalesforceSandbox;
  let ids: Map<string, string>;

  beforeEach(async () => {
    sandbox = await startSalesforceSandbox({ queryBatchSize: 200 });
    ids = sandbox.loadPortal(tinyPortal({ deals: 450 })).idMap;
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  const id = (seedId: string): string => ids.get(seedId) ?? '';

  it('stores only encrypted tokens after the OAuth web-server flow', async () => {
    const { store, cipher, org } = await connectToSandbox(sandbox);
    expect(org.instanceUrl).toBe(sandbox.url);
    const stored = store.current() ?? '';
    const tokens = tokenSetSchema.parse(cipher.decrypt(stored));
    expect(stored).not.toContain(tokens.accessToken);
    expect(stored).not.toContain(tokens.refreshToken);
    expect(stored.startsWith('v1.')).toBe(true);
  });

  it('install checks the Closewise fields the DX package deploys', async () => {
    const { connector } = await connectToSandbox(sandbox);
    await expect(connector.install()).resolves.toEqual({ created: [], unchanged: [] });
    const bare = await startSalesforceSandbox({ closewiseFieldsInstalled: false });
    try {
      bare.loadPortal(tinyPortal());
      const { connector: c } = await connectToSandbox(bare);
      await expect(c.install()).rejects.toBeInstanceOf(ConfigError);
      await expect(c.missingFields()).resolves.toContain('Opportunity.Closewise_Win_Probability__c');
    } finally {
      await bare.stop();
    }
  });

  it('full sync maps records, stage history, lead conversion, roles, activities and custom fields', async () => {
    const { connector } = await connectToSandbox(sandbox);
    const sink = memorySink();
    const result = await connector.sync(sink);
    expect(result.status).toEqual({ state: 'complete' });
    expect(result.counts).toMatchObject({
      company: 3,
      deal: 450,
      contact: 2,
      lead: 3,
      convertedLead: 2,
      email: 2,
      call: 1,
      task: 1,
      meeting: 1,
      contactRoles: 2,
    });

    const deal1 = sink.records_.get(`deal:${id('deal-1')}`);
    expect(deal1?.properties).toMatchObject({ name: 'Deal 1', stage: 'Closed Won', pipeline: 'default', amount: '1000' });
    expect(deal1?.history.filter((h) => h.property === 'stage').map((h) => h.value)).toEqual([
      'Qualification',
      'Proposal/Price Quote',
      'Closed Won',
    ]);
    expect(deal1?.properties.closed_at).toBe(deal1?.history.find((h) => h.value === 'Closed Won')?.changedAt.toISOString());
    expect(sink.records_.get(`deal:${id('deal-3')}`)?.properties.closed_at).toBeNull();

    const ada = sink.records_.get(`contact:${id('contact-1')}`);
    expect(ada?.properties).toMatchObject({ lifecycle: 'customer', job_title: 'VP Engineering' });
    expect(ada?.history.filter((h) => h.property === 'lifecycle').map((h) => h.value)).toEqual(['lead', 'opportunity', 'customer']);
    // Title is tracked in the sandbox org: ContactHistory gives its value from the Contact's creation.
    expect(ada?.history.filter((h) => h.property === 'job_title').map((h) => h.value)).toEqual(['VP Engineering']);
    expect(sink.records_.get(`contact:${id('contact-2')}`)?.properties.lifecycle).toBe('opportunity');
    expect(sink.records_.get(`contact:${id('contact-3')}`)?.properties).toMatchObject({
      lifecycle: 'lead',
      lead_status: 'Working - Contacted',
    });
    expect(sink.records_.get(`contact:${id('contact-5')}`)?.properties.lifecycle).toBe('other');
    const archived = [...sink.records_.values()].filter((r) => r.archived);
    expect(archived).toHaveLength(2);

    expect(sink.stages_.map((s) => [s.stageId, s.outcome])).toEqual([
      ['Qualification', 'open'],
      ['Proposal/Price Quote', 'open'],
      ['Closed Won', 'won'],
      ['Closed Lost', 'lost'],
    ]);
    expect(sink.customFields_).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ objectType: 'deal', name: 'Competitor_Involved__c', valueType: 'enumeration' }),
        expect.objectContaining({ objectType: 'contact', name: 'Seats_Requested__c', valueType: 'number' }),
      ]),
    );
    expect(deal1?.properties['custom:Competitor_Involved__c']).toBe('none');

    const emails = [...sink.activities_.values()].filter((a) => a.kind === 'email');
    expect(emails.map((e) => e.direction).sort()).toEqual(['inbound', 'outbound']);
    expect([...sink.activities_.values()].find((a) => a.kind === 'call')?.direction).toBe('inbound');
    expect(sink.associations_).toContain(`deal:${id('deal-1')}->contact:${id('contact-1')}`);
    expect(sink.associations_).toContain(`deal:${id('deal-1')}->company:${id('company-1')}`);
    expect(sink.associations_).toContain(`contact:${id('contact-1')}->company:${id('company-1')}`);
    expect([...sink.associations_].filter((a) => a.startsWith('meeting:'))).toEqual(
      expect.arrayContaining([expect.stringContaining(`->deal:${id('deal-1')}`)]),
    );
  });

  it('incremental sync delivers only what changed since the cursors', async () => {
    const { connector } = await connectToSandbox(sandbox);
    const first = await connector.sync(memorySink());
    sandbox.editRecord(id('deal-7'), { Amount: 99_999 });
    sandbox.editRecord(id('contact-3'), { Title: 'Head of Data' });
    sandbox.deleteRecord(id('deal-9'));
    const sink = memorySink();
    const second = await connector.sync(sink, { cursors: first.nextCursors });
    expect(second.status.state).toBe('complete');
    expect(sink.deliveries.map((d) => d.externalId).sort()).toEqual([id('deal-7'), id('deal-9'), id('contact-3')].sort());
    expect(sink.records_.get(`deal:${id('deal-7')}`)?.properties.amount).toBe('99999');
    expect(sink.records_.get(`deal:${id('deal-9')}`)?.archived).toBe(true);
    expect(sink.records_.get(`deal:${id('deal-7')}`)?.archived).toBe(false);
    const third = memorySink();
    await connector.sync(third, { cursors: second.nextCursors });
    expect(third.deliveries).toEqual([]);
  });

  it('a deal won since the last run turns its contacts into customers', async () => {
    const { connector } = await connectToSandbox(sandbox);
    const first = await connector.sync(memorySink());
    // deal-2 (lost) has contact-2 on it; win it as a user would.
    sandbox.editRecord(id('deal-2'), { StageName: 'Closed Won', IsClosed: true, IsWon: true });
    const sink = memorySink();
    await connector.sync(sink, { cursors: first.nextCursors });
    expect(sink.records_.get(`contact:${id('contact-2')}`)?.properties.lifecycle).toBe('customer');
  });

  it('writes changed scores only, ≤200 per call, and skips scored-at-only changes', async () => {
    const { connector } = await connectToSandbox(sandbox);
    const at = new Date('2026-11-02T08:00:00Z');
    const opps = sandbox.records('Opportunity').map((o) => String(o.Id));
    const writes: ScoreWrite[] = opps.map((externalId, i) => ({
      objectType: 'deal',
      externalId,
      fields: { winProbability: (i % 100) / 100, dealScore: 3, trend: 'up', topReasons: 'a\nb', nextAction: 'Call', scoredAt: at },
    }));
    const first = await connector.writeScores(writes);
    expect(first).toMatchObject({ written: 450, failed: [], unchanged: 0, calls: 3 });
    expect(Math.max(...sandbox.stats().collectionSizes)).toBeLessThanOrEqual(200);
    const opp = sandbox.record(opps[42] ?? '');
    expect(opp).toMatchObject({ Closewise_Win_Probability__c: 42, Closewise_Deal_Score__c: '3', Closewise_Trend__c: 'Improving' });

    const restamped = writes.map((w) => ({ ...w, fields: { ...w.fields, scoredAt: new Date('2026-11-03T08:00:00Z') } }));
    const again = await connector.writeScores(restamped);
    expect(again).toMatchObject({ written: 0, unchanged: 450, calls: 0 });

    const one = restamped.map((w, i) => (i === 5 ? { ...w, fields: { ...w.fields, winProbability: 0.77 } } : w));
    const third = await connector.writeScores(one);
    expect(third).toMatchObject({ written: 1, unchanged: 449, calls: 1 });
    expect(sandbox.record(opps[5] ?? '')?.Closewise_Win_Probability__c).toBe(77);
  });

  it('writes people to Contact or Lead by id, and reports what Salesforce rejects per record', async () => {
    const { connector } = await connectToSandbox(sandbox, { writeRetries: 2 });
    const lead = id('contact-3');
    const contact = id('contact-1');
    const converted = String(sandbox.records('Lead').find((l) => l.IsConverted === true)?.Id);
    sandbox.failWrites(contact, { times: 1 });
    sandbox.failWrites(lead, { times: 10, message: 'Leads from partners are read-only' });
    const fields = { likelihoodToClose: 0.31, priority: 'very_high' as const, leadGrade: 'B', scoredAt: new Date('2026-11-02T00:00:00Z') };
    const result = await connector.writeScores([
      { objectType: 'contact', externalId: contact, fields },
      { objectType: 'contact', externalId: lead, fields },
      { objectType: 'contact', externalId: converted, fields },
      { objectType: 'contact', externalId: id('contact-4'), fields },
    ]);
    expect(result.written).toBe(2);
    expect(sandbox.record(contact)).toMatchObject({ Closewise_Likelihood_To_Close__c: 31, Closewise_Priority__c: 'Very High' });
    expect(result.failed).toEqual(
      expect.arrayContaining([
        { externalId: lead, message: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Leads from partners are read-only (after 3 attempts)' },
        { externalId: converted, message: 'CANNOT_UPDATE_CONVERTED_LEAD: cannot reference converted lead (after 1 attempt)' },
      ]),
    );
    expect(result.failed).toHaveLength(2);
  });

  it('refreshes the token on 401 and stores the new one encrypted', async () => {
    const { connector, store, cipher } = await connectToSandbox(sandbox);
    await connector.install();
    const before = tokenSetSchema.parse(cipher.decrypt(store.current() ?? ''));
    sandbox.expireAccessTokens();
    const result = await connector.sync(memorySink());
    expect(result.status.state).toBe('complete');
    expect(sandbox.stats().tokenRefreshes).toBe(1);
    await connector.close();
    const after = tokenSetSchema.parse(cipher.decrypt(store.current() ?? ''));
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBe(before.refreshToken);
  });

  it('stops cleanly at the daily budget and resumes from its cursors in the next window', async () => {
    const reference = memorySink();
    await (await connectToSandbox(sandbox)).connector.sync(reference);

    const { connector } = await connectToSandbox(sandbox);
    sandbox.resetDailyUsage();
    // Every window reads the metadata again: stages, 4 describes and the 4 history objects' describes.
    sandbox.setDailyLimit(30);
    const sink = memorySink();
    const first = await connector.sync(sink);
    expect(first.status).toMatchObject({ state: 'budget_exhausted', apiLimit: 30 });
    if (first.status.state === 'budget_exhausted')
      expect(first.status.message).toMatch(/daily API budget reached .* resumes from its cursors in the next window/);
    expect(sandbox.stats().limitRejections).toBeLessThanOrEqual(1);

    let result = first;
    let windows = 1;
    while (result.status.state !== 'complete' && windows < 20) {
      sandbox.resetDailyUsage();
      result = await connector.sync(sink, { cursors: result.nextCursors });
      windows += 1;
    }
    expect(result.status.state).toBe('complete');
    expect(windows).toBeGreaterThanOrEqual(2);
    expect([...sink.records_.keys()].sort()).toEqual([...reference.records_.keys()].sort());
    expect(sink.activities_.size).toBe(reference.activities_.size);
    expect(sink.associations_.size).toBe(reference.associations_.size);
    expect(sink.records_.get(`deal:${id('deal-1')}`)?.history).toEqual(reference.records_.get(`deal:${id('deal-1')}`)?.history);
  });

  it('reads large objects through Bulk API 2.0 pages and resumes a job after the budget stop', async () => {
    const { connector } = await connectToSandbox(sandbox, { bulkThreshold: 100, bulkPageSize: 100 });
    const sink = memorySink();
    const result = await connector.sync(sink);
    expect(result.counts.deal).toBe(450);
    expect(sandbox.stats().bulkJobs).toBeGreaterThanOrEqual(2); // OpportunityHistory and Opportunity
    expect(sink.records_.get(`deal:${id('deal-1')}`)?.history.filter((h) => h.property === 'stage')).toHaveLength(3);

    // Fresh connector, a budget that runs out mid-job: the cursor carries the job and locator.
    sandbox.resetDailyUsage();
    sandbox.setDailyLimit(30);
    const resumed = memorySink();
    const { connector: c2 } = await connectToSandbox(sandbox, { bulkThreshold: 100, bulkPageSize: 100 });
    let run = await c2.sync(resumed);
    let windows = 1;
    let resumedMidJob = false;
    while (run.status.state !== 'complete' && windows < 30) {
      if ((run.nextCursors.Opportunity ?? '').includes('"bulk":{')) resumedMidJob = true;
      sandbox.resetDailyUsage();
      run = await c2.sync(resumed, { cursors: run.nextCursors });
      windows += 1;
    }
    expect(run.status.state).toBe('complete');
    expect(resumedMidJob).toBe(true);
    expect([...resumed.records_.keys()].filter((k) => k.startsWith('deal:'))).toHaveLength(450);
  });

  it('starts a bulk read again when its job expired between windows', async () => {
    sandbox.setDailyLimit(30);
    const { connector } = await connectToSandbox(sandbox, { bulkThreshold: 100, bulkPageSize: 100 });
    const sink = memorySink();
    let run = await connector.sync(sink);
    let windows = 1;
    let expired = false;
    while (run.status.state !== 'complete' && windows < 30) {
      if (!expired && (run.nextCursors.Opportunity ?? '').includes('"bulk":{')) {
        sandbox.expireBulkJobs();
        expired = true;
      }
      sandbox.resetDailyUsage();
      run = await connector.sync(sink, { cursors: run.nextCursors });
      windows += 1;
    }
    expect(expired).toBe(true);
    expect(run.status.state).toBe('complete');
    expect([...sink.records_.keys()].filter((k) => k.startsWith('deal:'))).toHaveLength(450);
  });

  it('rejects malformed cursors and never puts free text into SOQL', async () => {
    const { connector } = await connectToSandbox(sandbox);
    await expect(connector.sync(memorySink(), { cursors: { Opportunity: '{"since":"yesterday"}' } })).rejects.toBeInstanceOf(BadInputError);
    await expect(
      connector.sync(memorySink(), {
        cursors: {
          Opportunity: JSON.stringify({ since: '2026-01-01T00:00:00.000Z', afterId: "x' OR Name != '", bulk: null, bulkSince: null }),
        },
      }),
    ).rejects.toBeInstanceOf(BadInputError);
    expect(() => soqlId("006' OR Id != '")).toThrow(BadInputError);
    await expect(
      connector.writeScores([{ objectType: 'deal', externalId: "006') OR (Id != '", fields: { winProbability: 0.5 } }]),
    ).rejects.toBeInstanceOf(BadInputError);
  });
});
