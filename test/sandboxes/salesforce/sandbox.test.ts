import { Connection, OAuth2 } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPortal } from './fixtures/tiny-portal.ts';
import { type SalesforceSandbox, startSalesforceSandbox } from './sandbox.ts';

/** The sandbox driven by real jsforce 3, as the connector will drive it. */
describe('Salesforce sandbox through jsforce', () => {
  let sandbox: SalesforceSandbox;
  let idMap: Map<string, string>;

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({ queryBatchSize: 200, bulkPageSize: 100 });
    idMap = sandbox.loadPortal(tinyPortal({ deals: 450 })).idMap;
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  function connect(tokens = sandbox.issueTokens()): Connection {
    return new Connection({
      version: sandbox.apiVersion,
      instanceUrl: sandbox.url,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      oauth2: {
        loginUrl: sandbox.loginUrl,
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        redirectUri: 'http://127.0.0.1/callback',
      },
    });
  }

  it('runs the OAuth web-server flow: authorize redirect, code exchange with id/access_token/instance_url', async () => {
    const oauth2 = new OAuth2({
      loginUrl: sandbox.loginUrl,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      redirectUri: 'http://127.0.0.1:9/callback',
    });
    const authorizeUrl = oauth2.getAuthorizationUrl({ state: 'xyz', scope: 'api refresh_token' });
    const location = await sandbox.approveAuthorization(authorizeUrl);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code') ?? '';

    const conn = new Connection({ oauth2, version: sandbox.apiVersion });
    const userInfo = await conn.authorize(code);
    expect(userInfo.organizationId).toBe('00D5g0000000001EAA');
    expect(conn.instanceUrl).toBe(sandbox.url);
    expect(conn.refreshToken).toBeTruthy();
    const result = await conn.query<{ Name: string }>('SELECT Name FROM Account ORDER BY Name');
    expect(result.records.map((r) => r.Name)).toEqual(['Acme Corp', 'Globex', 'Initech']);

    // A code is good for one exchange only.
    await expect(conn.authorize(code)).rejects.toThrow(/expired authorization code/);
  });

  it('pages with nextRecordsUrl and autoFetch collects every page', async () => {
    const conn = connect();
    const first = await conn.query('SELECT Id FROM Opportunity');
    expect(first.totalSize).toBe(450);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(200);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g\w+-200$/);
    const more = await conn.queryMore(first.nextRecordsUrl ?? '');
    expect(more.records).toHaveLength(200);

    const all: { Id: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query<{ Id: string }>('SELECT Id FROM Opportunity ORDER BY Id')
        .on('record', (r) => all.push(r))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 100_000 });
    });
    expect(all).toHaveLength(450);
    expect(new Set(all.map((r) => r.Id)).size).toBe(450);
    expect([...all.map((r) => r.Id)].sort()).toEqual(all.map((r) => r.Id));
  });

  it('honours Sforce-Query-Options batchSize, queryAll, the identity URL and the global describe', async () => {
    const conn = connect();
    const res = await fetch(`${sandbox.url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Opportunity')}`, {
      headers: { Authorization: `Bearer ${conn.accessToken}`, 'Sforce-Query-Options': 'batchSize=300' },
    });
    const body = (await res.json()) as { records: unknown[]; nextRecordsUrl: string };
    expect(body.records).toHaveLength(300);
    expect(body.nextRecordsUrl).toMatch(/-300$/);
    const doomed = idMap.get('deal-450') ?? '';
    sandbox.deleteRecord(doomed);
    expect((await conn.query(`SELECT Id FROM Opportunity WHERE Id = '${doomed}'`)).totalSize).toBe(0);
    const all = await conn.query<{ IsDeleted: boolean }>(`SELECT Id, IsDeleted FROM Opportunity WHERE Id = '${doomed}'`, { scanAll: true });
    expect(all.records).toEqual([expect.objectContaining({ IsDeleted: true })]);
    sandbox.editRecord(doomed, { IsDeleted: false });
    const identity = await conn.identity();
    expect(identity.organization_id).toBe('00D5g0000000001EAA');
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Opportunity', 'Lead', 'OpportunityHistory', 'EmailMessage']),
    );
  });

  it('nests relationship fields and answers null for missing parents', async () => {
    const conn = connect();
    const result = await conn.query<{ Name: string; Account: { Name: string } | null; Owner: { Email: string } }>(
      `SELECT Name, Account.Name, Owner.Email FROM Opportunity WHERE Name IN ('Deal 1', 'Deal 2') ORDER BY Name`,
    );
    expect(result.records.map((r) => [r.Name, r.Account?.Name, r.Owner.Email])).toEqual([
      ['Deal 1', 'Acme Corp', 'owner1@example.com'],
      ['Deal 2', 'Globex', 'owner1@example.com'],
    ]);
    const tasks = await conn.query<{ Subject: string; Who: { Name: string } | null }>(
      `SELECT Subject, Who.Name FROM Task WHERE TaskSubtype = 'Task'`,
    );
    expect(tasks.records).toEqual([expect.objectContaining({ Subject: 'Send contract', Who: null })]);
  });

  it('filters with AND/OR/NOT, comparisons, IN, LIKE, date and datetime literals, ORDER BY and LIMIT', async () => {
    const conn = connect();
    const q = async (soql: string) => (await conn.query<Record<string, unknown>>(soql).run({ autoFetch: true, maxFetch: 10_000 })).records;
    const won = await q(`SELECT Id FROM Opportunity WHERE IsWon = true`);
    expect(won).toHaveLength(Math.ceil(450 / 4));
    const openBig = await q(
      `SELECT Amount FROM Opportunity WHERE IsClosed = false AND (Amount >= 1400 OR Amount < 1003) ORDER BY Amount DESC LIMIT 3`,
    );
    expect(openBig.map((r) => r.Amount)).toEqual([1447, 1446, 1443]);
    const notIn = await q(`SELECT Id FROM Opportunity WHERE StageName NOT IN ('Closed Won', 'Closed Lost')`);
    const openCount = Array.from({ length: 450 }, (_, i) => i % 4).filter((r) => r >= 2).length;
    expect(notIn).toHaveLength(openCount);
    const like = await q(`SELECT Name FROM Account WHERE Name LIKE 'g%'`);
    expect(like).toEqual([expect.objectContaining({ Name: 'Globex' })]);
    const notLike = await q(`SELECT Name FROM Account WHERE NOT Name LIKE 'g%' ORDER BY Name DESC`);
    expect(notLike.map((r) => r.Name)).toEqual(['Initech', 'Acme Corp']);
    const since = await q(`SELECT Id FROM Opportunity WHERE CreatedDate > 2026-10-01T00:00:00Z`);
    expect(since).toHaveLength(0);
    const closeDates = await q(`SELECT CloseDate FROM Opportunity WHERE CloseDate <= 2026-03-01 ORDER BY CloseDate ASC LIMIT 1`);
    expect(closeDates[0]?.CloseDate).toMatch(/^2026-0[1-3]-\d\d$/);
    // The org clock is at least the portal's now (2026-11-01), so nothing was created in the last 30 days.
    expect(await q(`SELECT Id FROM Opportunity WHERE CreatedDate = LAST_N_DAYS:30`)).toHaveLength(0);
    expect((await q(`SELECT Id FROM Opportunity WHERE CreatedDate < TODAY`)).length).toBe(450);
    expect((await conn.query('SELECT COUNT() FROM Lead WHERE IsConverted = false')).totalSize).toBe(3);
  });

  it('answers SOQL outside the subset with MALFORMED_QUERY in Salesforce error shape', async () => {
    const conn = connect();
    await expect(conn.query('SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    await expect(conn.query('SELECT Id FROM Opportunity LIMIT 5 OFFSET 10')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringContaining("unexpected token: 'OFFSET'"),
    });
    await expect(conn.query('SELECT Id, (SELECT Id FROM OpportunityContactRoles) FROM Opportunity')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    await expect(conn.query('SELECT Nope__c FROM Opportunity')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Nope__c' on entity 'Opportunity'"),
    });
    await expect(conn.query('SELECT Id FROM Widget__c')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    await expect(conn.query("SELECT Id FROM Opportunity WHERE CreatedDate > '2026-01-01'")).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining('must be of type dateTime and should not be enclosed in quotes'),
    });

    const raw = await fetch(`${sandbox.url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Opportunity HAVING x')}`, {
      headers: { Authorization: `Bearer ${sandbox.issueTokens().accessToken}` },
    });
    expect(raw.status).toBe(400);
    const body = (await raw.json()) as unknown;
    expect(body).toEqual([{ message: expect.stringContaining('ERROR at Row:1:Column:'), errorCode: 'MALFORMED_QUERY' }]);
  });

  it('describes objects with Closewise and custom fields', async () => {
    const conn = connect();
    const opp = await conn.sobject('Opportunity').describe();
    const names = opp.fields.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(['StageName', 'Closewise_Win_Probability__c', 'Closewise_Deal_Score__c', 'Competitor_Involved__c']),
    );
    const competitor = opp.fields.find((f) => f.name === 'Competitor_Involved__c');
    expect(competitor?.type).toBe('picklist');
    expect(competitor?.picklistValues?.map((p) => p.value)).toEqual(['none', 'direct_competitor']);
    const lead = await conn.sobject('Lead').describe();
    expect(lead.fields.find((f) => f.name === 'Closewise_Priority__c')?.picklistValues?.map((p) => p.value)).toEqual([
      'Very High',
      'High',
      'Medium',
      'Low',
    ]);
  });

  it('updates through sObject collections with per-record errors and allOrNone', async () => {
    const conn = connect();
    const [a, b] = [idMap.get('deal-1') ?? '', idMap.get('deal-2') ?? ''];
    const results = await conn.sobject('Opportunity').update(
      [
        { Id: a, Closewise_Win_Probability__c: 72.44, Closewise_Deal_Score__c: '4' },
        { Id: b, Closewise_Deal_Score__c: '9' },
        { Id: '006000000000000AAA', Closewise_Deal_Score__c: '1' },
        { Id: a, IsWon: true },
      ],
      { allOrNone: false },
    );
    expect(results.map((r) => r.success)).toEqual([true, false, false, false]);
    expect(results[1]).toMatchObject({ errors: [expect.objectContaining({ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' })] });
    expect(results[2]).toMatchObject({ errors: [expect.objectContaining({ statusCode: 'INVALID_CROSS_REFERENCE_KEY' })] });
    expect(results[3]).toMatchObject({ errors: [expect.objectContaining({ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' })] });
    expect(sandbox.record(a)?.Closewise_Win_Probability__c).toBe(72.4);

    const rolledBack = await conn.sobject('Opportunity').update(
      [
        { Id: b, Closewise_Deal_Score__c: '2' },
        { Id: a, Closewise_Deal_Score__c: 'x' },
      ],
      { allOrNone: true },
    );
    expect(rolledBack.map((r) => r.success)).toEqual([false, false]);
    expect(sandbox.record(b)?.Closewise_Deal_Score__c).toBeUndefined();

    const tooMany = Array.from({ length: 201 }, () => ({ Id: a, Closewise_Deal_Score__c: '3' }));
    await expect(conn.sobject('Opportunity').update(tooMany, { allOrNone: false })).rejects.toMatchObject({
      errorCode: 'EXCEEDED_ID_LIMIT',
    });
  });

  it('runs Bulk API 2.0 query jobs across Sforce-Locator pages', async () => {
    // jsforce 3.10's bulk2.query() pipes every result page into one CSV stream and fails with "write after
    // end" from the second page on, so the protocol is checked here directly (the connector pages itself).
    const headers = { Authorization: `Bearer ${sandbox.issueTokens().accessToken}`, 'Content-Type': 'application/json' };
    const base = `${sandbox.url}/services/data/v62.0/jobs/query`;
    const created = (await (
      await fetch(base, {
        method: 'POST',
        headers,
        body: JSON.stringify({ operation: 'query', query: 'SELECT Id, Name, Account.Name FROM Opportunity' }),
      })
    ).json()) as { id: string; state: string };
    expect(created.state).toBe('UploadComplete');
    const status = (await (await fetch(`${base}/${created.id}`, { headers })).json()) as { state: string; numberRecordsProcessed: number };
    expect(status).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 450 });
    const rows: string[] = [];
    let locator: string | null = null;
    let pages = 0;
    do {
      const res = await fetch(`${base}/${created.id}/results${locator ? `?locator=${locator}` : ''}`, {
        headers: { ...headers, Accept: 'text/csv' },
      });
      expect(res.headers.get('content-type')).toBe('text/csv');
      const lines = (await res.text()).trim().split('\n');
      expect(lines[0]).toBe('"Id","Name","Account.Name"');
      rows.push(...lines.slice(1));
      locator = res.headers.get('sforce-locator');
      pages += 1;
    } while (locator && locator !== 'null');
    expect(pages).toBe(5);
    expect(rows).toHaveLength(450);
    expect(rows.find((r) => r.includes('"Deal 1"'))).toMatch(/"Acme Corp"$/);

    const bad = await fetch(base, {
      method: 'POST',
      headers,
      body: JSON.stringify({ operation: 'query', query: 'SELECT Id FROM Opportunity GROUP BY Id' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual([expect.objectContaining({ errorCode: 'MALFORMED_QUERY' })]);
  });

  it('serves a single-page Bulk 2.0 result to jsforce bulk2.query', async () => {
    const conn = connect();
    const records = await (await conn.bulk2.query('SELECT Id, Name FROM Account')).toArray();
    expect(records.map((r) => r.Name).sort()).toEqual(['Acme Corp', 'Globex', 'Initech']);
  });

  it('reports usage in Sforce-Limit-Info and refuses requests past the daily limit', async () => {
    const conn = connect();
    await conn.query('SELECT Id FROM Account');
    expect(conn.limitInfo.apiUsage?.used).toBe(sandbox.stats().apiUsed);
    expect(conn.limitInfo.apiUsage?.limit).toBe(15_000);
    sandbox.setDailyLimit(sandbox.stats().apiUsed);
    try {
      await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
        message: 'TotalRequests Limit exceeded.',
      });
      expect(sandbox.stats().limitRejections).toBe(1);
    } finally {
      sandbox.setDailyLimit(15_000);
    }
  });

  it('answers 401 INVALID_SESSION_ID for expired tokens, and jsforce refreshes and replays', async () => {
    const conn = connect();
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    const before = sandbox.stats();
    sandbox.expireAccessTokens();
    const result = await conn.query('SELECT Id FROM Account');
    expect(result.totalSize).toBe(3);
    expect(refreshed).toHaveLength(1);
    const after = sandbox.stats();
    expect(after.rejectedSessions - before.rejectedSessions).toBe(1);
    expect(after.tokenRefreshes - before.tokenRefreshes).toBe(1);

    const raw = await fetch(`${sandbox.url}/services/data/v62.0/limits`, { headers: { Authorization: 'Bearer nope' } });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('maps the portal: converted leads, contact roles, history, tasks, events and email direction', async () => {
    const conn = connect();
    const converted = await conn.query<{ ConvertedContactId: string; ConvertedDate: string }>(
      'SELECT ConvertedContactId, ConvertedDate FROM Lead WHERE IsConverted = true ORDER BY ConvertedDate',
    );
    expect(converted.records.map((r) => r.ConvertedContactId)).toEqual([idMap.get('contact-1'), idMap.get('contact-2')]);
    const roles = await conn.query<{ Role: string; Contact: { Email: string } }>(
      `SELECT Role, IsPrimary, Contact.Email FROM OpportunityContactRole WHERE OpportunityId = '${idMap.get('deal-1')}'`,
    );
    expect(roles.records).toEqual([expect.objectContaining({ Role: 'Decision Maker', IsPrimary: true })]);
    const history = await conn.query<{ StageName: string }>(
      `SELECT StageName, CreatedDate FROM OpportunityHistory WHERE OpportunityId = '${idMap.get('deal-1')}' ORDER BY CreatedDate`,
    );
    expect(history.records.map((r) => r.StageName)).toEqual(['Qualification', 'Proposal/Price Quote', 'Closed Won']);
    const emails = await conn.query<{ Incoming: boolean }>('SELECT Incoming, Activity.Subject FROM EmailMessage ORDER BY MessageDate');
    expect(emails.records.map((r) => r.Incoming)).toEqual([true, false]);
    expect((await conn.query('SELECT Id FROM Event')).totalSize).toBe(1);
    expect((await conn.query("SELECT Id FROM Task WHERE TaskSubtype = 'Call' AND CallType = 'Inbound'")).totalSize).toBe(1);
  });
});
