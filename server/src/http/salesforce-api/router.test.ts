import {
  modelStatusSchema,
  reasonsSchema,
  rescoreResultSchema,
  scoreChangeResponseSchema,
  taskSuggestionSchema,
  wouldRaiseResponseSchema,
} from '@closewise/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCORE_KINDS, scoreDetailsSchema } from '../../scoring/details.ts';
import { listModels } from '../../scoring/index.ts';
import type { ObjectType } from '../../store/schema.ts';
import { upsertTenant } from '../../tenants/tenant-repository.ts';
import { snoozeAction } from '../../use-cases/snooze.ts';
import { issueSalesforceApiKey, revokeSalesforceApiKeys } from './api-keys.ts';
import { caseSafeSuffix } from './params.ts';
import { type InstalledOrg, installSalesforceOrg } from './test-support/installed-org.ts';

/**
 * The API the Apex class calls, over HTTP on a free port: a real store, the Salesforce sandbox org installed
 * through OAuth, synced, trained and scored with the real scoring core, and jsforce writing scores back.
 */
let o: InstalledOrg;

beforeAll(async () => {
  o = await installSalesforceOrg(4, 300);
}, 240_000);
afterAll(async () => {
  await o?.close();
});

async function details(objectType: ObjectType, id: string) {
  const row = await o.store.db
    .selectFrom('scores')
    .select('details')
    .where('tenant_id', '=', o.tenant.id)
    .where('object_type', '=', objectType)
    .where('external_id', '=', id)
    .where('score_kind', '=', SCORE_KINDS[objectType])
    .executeTakeFirst();
  return row ? scoreDetailsSchema.parse(row.details) : null;
}

const ids = (object: string, keep: (r: Record<string, unknown>) => boolean = () => true) =>
  o.org.sandbox
    .records(object)
    .filter(keep)
    .map((r) => String(r.Id));

async function scoredIds(object: string, objectType: ObjectType, keep?: (r: Record<string, unknown>) => boolean) {
  const out: string[] = [];
  for (const id of ids(object, keep)) if (await details(objectType, id)) out.push(id);
  return out;
}

describe('authentication', () => {
  it('answers 401 with a JSON error without a key, with an unknown key, or another scheme', async () => {
    const path = '/api/salesforce/models/Opportunity';
    const unknown = `cwsf_0123456789ab_${'A'.repeat(43)}`;
    for (const options of [{ key: null }, { key: unknown }, { key: 'not-a-key' }, { authorization: `Basic ${o.apiKey}` }]) {
      const res = await o.call('GET', path, options);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    }
  });

  it('checks the key before the input: bad input without a key is still 401', async () => {
    expect((await o.call('GET', '/api/salesforce/records/Case/123/reasons', { key: null })).status).toBe(401);
  });

  it('refuses a revoked key and a key whose secret part was altered', async () => {
    const other = await upsertTenant(o.store.db, Buffer.alloc(32, 7), {
      crm: 'salesforce',
      externalId: '00D5g0000000009EAA',
      name: 'Revoked org',
      authMode: 'oauth',
      tokens: { accessToken: 'x' },
    });
    const key = await issueSalesforceApiKey(o.store.db, other.id);
    expect((await o.call('GET', '/api/salesforce/models/Lead', { key })).status).toBe(200);
    const altered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    expect((await o.call('GET', '/api/salesforce/models/Lead', { key: altered })).status).toBe(401);
    expect(await revokeSalesforceApiKeys(o.store.db, other.id)).toBe(1);
    expect((await o.call('GET', '/api/salesforce/models/Lead', { key })).status).toBe(401);
  });

  it('issues keys only for Salesforce tenants, and stores no plain key', async () => {
    const key = await issueSalesforceApiKey(o.store.db, o.tenant.id);
    const rows = await o.store.db
      .withTables<{ salesforce_api_keys: { key_hash: string } }>()
      .selectFrom('salesforce_api_keys')
      .select('key_hash')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(key.slice(18));
    const hubspot = await upsertTenant(o.store.db, Buffer.alloc(32, 1), {
      crm: 'hubspot',
      externalId: '123',
      name: 'HubSpot portal',
      authMode: 'private_app',
      tokens: { accessToken: 'x' },
    });
    await expect(issueSalesforceApiKey(o.store.db, hubspot.id)).rejects.toThrow(/no Salesforce tenant/);
  });
});

describe('bad input', () => {
  it('answers 400 with a JSON error for objects Closewise does not score', async () => {
    const opp = ids('Opportunity')[0] as string;
    for (const path of [
      '/api/salesforce/models/Case',
      `/api/salesforce/records/Case/${opp}/reasons`,
      '/api/salesforce/models/opportunity',
    ]) {
      const res = await o.call('GET', path);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'BAD_INPUT', message: expect.stringContaining('does not score') } });
    }
  });

  it('answers 400 for ids that are not 15/18-character Salesforce ids, or of another object', async () => {
    const opp = ids('Opportunity')[0] as string;
    const lead = ids('Lead')[0] as string;
    const wrongSuffix = `${opp.slice(0, 15)}${caseSafeSuffix(opp.slice(0, 15)) === 'AAA' ? 'BBB' : 'AAA'}`;
    const bad = ['abc', `${opp}X`, opp.slice(0, 16), `${opp.slice(0, 14)}!`, wrongSuffix];
    for (const id of bad) {
      const res = await o.call('GET', `/api/salesforce/records/Opportunity/${encodeURIComponent(id)}/reasons`);
      expect(res.status, id).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'BAD_INPUT' } });
    }
    const mismatch = await o.call('GET', `/api/salesforce/records/Opportunity/${lead}/reasons`);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toMatchObject({ error: { message: expect.stringContaining('not a Opportunity id') } });
  });

  it('answers 400 for a POST body that is not {} or not JSON', async () => {
    const opp = ids('Opportunity')[0] as string;
    for (const body of ['{"subject":"x"}', '{not json', '[]']) {
      const res = await o.call('POST', `/api/salesforce/records/Opportunity/${opp}/task-suggestion`, { body });
      expect(res.status, body).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'BAD_INPUT' } });
    }
  });
});

describe('tenant scoping', () => {
  it("answers 404 with no data for another tenant's record, which that tenant can read", async () => {
    const other = await upsertTenant(o.store.db, Buffer.alloc(32, 3), {
      crm: 'salesforce',
      externalId: '00D5g0000000002EAA',
      name: 'Other org',
      authMode: 'oauth',
      tokens: { accessToken: 'x' },
    });
    const otherKey = await issueSalesforceApiKey(o.store.db, other.id);
    const body = '0065g0000ZZZZZZ';
    const theirs = body + caseSafeSuffix(body);
    await o.store.db
      .insertInto('crm_records')
      .values({
        tenant_id: other.id,
        object_type: 'deal',
        external_id: theirs,
        properties: JSON.stringify({ name: 'Their deal' }),
        created_at: null,
        updated_at: null,
        archived: false,
      })
      .execute();
    const asOther = await o.call('GET', `/api/salesforce/records/Opportunity/${theirs}/reasons`, { key: otherKey });
    expect(asOther.status).toBe(200);
    expect(asOther.body).toEqual([]);

    const asUs = await o.call('GET', `/api/salesforce/records/Opportunity/${theirs}/reasons`);
    expect(asUs.status).toBe(404);
    expect(asUs.body).toMatchObject({ error: { code: 'NOT_FOUND' } });

    const ours = (await scoredIds('Opportunity', 'deal'))[0] as string;
    for (const [method, suffix] of [
      ['GET', 'reasons'],
      ['GET', 'change'],
      ['GET', 'raise'],
      ['POST', 'task-suggestion'],
      ['POST', 'rescore'],
    ] as const) {
      const res = await o.call(method, `/api/salesforce/records/Opportunity/${ours}/${suffix}`, {
        key: otherKey,
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect(res.status, suffix).toBe(404);
      expect(Object.keys(res.body as object)).toEqual(['error']);
      expect(res.text).not.toContain('pts');
    }
  });
});

describe('models', () => {
  it("gives the latest deal champion's version and activation time for Opportunity, the contact one for Lead and Contact", async () => {
    const models = await listModels(o.store.db, o.tenant.id);
    const latest = (targets: string[]) =>
      models
        .filter((m) => m.status === 'active' && targets.includes(m.target))
        .sort((a, b) => b.trainedAt.getTime() - a.trainedAt.getTime())[0];
    const deal = latest(['deal_win_at_creation', 'deal_win_after_proposal']);
    const contact = latest(['contact_close_90d', 'contact_fit']);
    expect(deal && contact).toBeTruthy();
    const opp = modelStatusSchema.parse((await o.call('GET', '/api/salesforce/models/Opportunity')).body);
    expect(opp).toEqual({ activatedAt: deal?.trainedAt.toISOString(), version: deal?.version });
    for (const object of ['Lead', 'Contact']) {
      const res = await o.call('GET', `/api/salesforce/models/${object}`);
      expect(modelStatusSchema.parse(res.body)).toEqual({ activatedAt: contact?.trainedAt.toISOString(), version: contact?.version });
    }
  });

  it('answers nulls for Account, which rules score without a model', async () => {
    const res = await o.call('GET', '/api/salesforce/models/Account');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ activatedAt: null, version: null });
  });
});

describe('reasons', () => {
  it('lists every stored reason with its impact, the same for the 15- and the 18-character id', async () => {
    const opp = (await scoredIds('Opportunity', 'deal'))[0] as string;
    const stored = await details('deal', opp);
    const res = await o.call('GET', `/api/salesforce/records/Opportunity/${opp}/reasons`);
    expect(res.status).toBe(200);
    const reasons = reasonsSchema.parse(res.body);
    expect(reasons.map((r) => r.label)).toEqual(stored?.reasons.map((r) => r.text));
    stored?.reasons.forEach((r, i) => {
      const impact = reasons[i]?.impact ?? '';
      if (r.direction === 'positive') expect(impact).toMatch(/^\+/);
      if (r.direction === 'negative') expect(impact).toMatch(/^−/);
      if (r.direction === 'neutral') expect(impact).toBe('—');
    });
    const short = await o.call('GET', `/api/salesforce/records/Opportunity/${opp.slice(0, 15)}/reasons`);
    expect(short.body).toEqual(res.body);
  });

  it('serves Lead, Contact and Account records (Leads and Contacts are both contacts in the store)', async () => {
    for (const [object, objectType] of [
      ['Lead', 'contact'],
      ['Contact', 'contact'],
      ['Account', 'company'],
    ] as const) {
      const id = (await scoredIds(object, objectType))[0] as string;
      const res = await o.call('GET', `/api/salesforce/records/${object}/${id}/reasons`);
      expect(res.status, object).toBe(200);
      expect(reasonsSchema.parse(res.body).length).toBe((await details(objectType, id))?.reasons.length);
    }
  });
});

describe('what changed', () => {
  it('says nothing changed on a first score, then serves the stored change with its movers', async () => {
    const opp = (await scoredIds('Opportunity', 'deal'))[0] as string;
    const first = await o.call('GET', `/api/salesforce/records/Opportunity/${opp}/change`);
    expect(first.status).toBe(200);
    expect(scoreChangeResponseSchema.parse(first.body)).toEqual({ changed: false, points: null, since: null, movers: [] });
    // What a second scoring stores (server/src/cards/what-changed.test.ts covers computing it).
    const change = {
      points: -5.8,
      since: '2026-11-01T00:00:00.000Z',
      movers: [{ source: 'deal.amount', label: 'Amount 304,000', points: -3.7 }],
    };
    await sql`update scores set details = jsonb_set(details, '{change}', ${JSON.stringify(change)}::jsonb)
      where tenant_id = ${o.tenant.id} and object_type = 'deal' and external_id = ${opp}`.execute(o.store.db);
    const res = await o.call('GET', `/api/salesforce/records/Opportunity/${opp}/change`);
    expect(res.status).toBe(200);
    expect(scoreChangeResponseSchema.parse(res.body)).toEqual({
      changed: true,
      points: -5.8,
      since: '2026-11-01T00:00:00.000Z',
      movers: [{ label: 'Amount 304,000', points: -3.7 }],
    });
  });
});

describe('what would raise it', () => {
  const setRaise = (objectType: ObjectType, id: string, raise: unknown) =>
    sql`update scores set details = jsonb_set(details, '{raise}', ${JSON.stringify(raise)}::jsonb)
      where tenant_id = ${o.tenant.id} and object_type = ${objectType} and external_id = ${id}`.execute(o.store.db);

  it('serves the stored suggestions as percent estimates, and an empty list when there are none', async () => {
    const opp = (await scoredIds('Opportunity', 'deal', (r) => r.IsClosed === false))[0] as string;
    // What scoring stores (server/src/cards/would-raise.test.ts covers computing it).
    await setRaise('deal', opp, [
      { action: 'log_call', label: 'Log a call', probability: 0.4816, points: 24.8 },
      { action: 'update_close_date', label: 'Move the close date to 3 Jan', probability: 0.3021, points: 6.9 },
    ]);
    const res = await o.call('GET', `/api/salesforce/records/Opportunity/${opp}/raise`);
    expect(res.status).toBe(200);
    expect(wouldRaiseResponseSchema.parse(res.body)).toEqual({
      suggestions: [
        { action: 'log_call', label: 'Log a call', estimate: 48.2, points: 24.8 },
        { action: 'update_close_date', label: 'Move the close date to 3 Jan', estimate: 30.2, points: 6.9 },
      ],
    });

    await setRaise('deal', opp, []);
    const none = await o.call('GET', `/api/salesforce/records/Opportunity/${opp}/raise`);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ suggestions: [] });
  });

  it('serves an empty list for a closed opportunity, even with suggestions stored from before it closed', async () => {
    const closed = ids('Opportunity', (r) => r.IsClosed === true)[0] as string;
    const open = (await scoredIds('Opportunity', 'deal', (r) => r.IsClosed === false))[0] as string;
    // The score an open deal had before it closed: Closewise stops scoring it, the row stays.
    await sql`insert into scores (tenant_id, object_type, external_id, score_kind, model_id, probability, details, scored_at)
      select tenant_id, object_type, ${closed}, score_kind, model_id, probability, details, scored_at from scores
      where tenant_id = ${o.tenant.id} and object_type = 'deal' and external_id = ${open}
      on conflict do nothing`.execute(o.store.db);
    await setRaise('deal', closed, [{ action: 'log_call', label: 'Log a call', probability: 0.5, points: 10 }]);
    expect((await details('deal', closed))?.raise).toHaveLength(1);
    try {
      const res = await o.call('GET', `/api/salesforce/records/Opportunity/${closed}/raise`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ suggestions: [] });
    } finally {
      // The rescore tests expect this closed opportunity unscored.
      await o.store.db.deleteFrom('scores').where('tenant_id', '=', o.tenant.id).where('external_id', '=', closed).execute();
    }
  });
});

describe('task suggestion', () => {
  it('returns the top create-task action, skips snoozed ones, and answers 404 when none is left', async () => {
    let chosen: { id: string; tasks: { id: string; title: string; dueDate: string; sentence: string }[] } | null = null;
    for (const id of await scoredIds('Opportunity', 'deal')) {
      const tasks = ((await details('deal', id))?.nextActions ?? []).flatMap((a) =>
        a.action.type === 'create_task' ? [{ id: a.id, title: a.action.title, dueDate: a.action.dueDate, sentence: a.sentence }] : [],
      );
      if (tasks.length >= 1) {
        chosen = { id, tasks };
        break;
      }
    }
    if (!chosen) throw new Error('no scored opportunity has a create-task action in this seed');
    const path = `/api/salesforce/records/Opportunity/${chosen.id}/task-suggestion`;
    const first = await o.call('POST', path, { body: '{}' });
    expect(first.status).toBe(200);
    const top = chosen.tasks[0];
    expect(taskSuggestionSchema.parse(first.body)).toEqual({
      subject: top?.title,
      description: top?.sentence,
      dueDate: top?.dueDate.slice(0, 10),
    });

    const until = new Date(o.now.getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
    for (const task of chosen.tasks) await snoozeAction(o.store.db, o.tenant.id, 'deal', chosen.id, task.id, until);
    const none = await o.call('POST', path, { body: '{}' });
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ error: { code: 'NOT_FOUND', message: expect.stringContaining('no task to suggest') } });
  });
});

describe('rescore', () => {
  it('rescores, writes the score fields to Salesforce before answering, and changes nothing when run again', async () => {
    const open = await scoredIds('Opportunity', 'deal', (r) => r.IsClosed === false);
    const [target, refusing, bystander] = open as [string, string, string];
    expect(o.org.sandbox.record(target)?.Closewise_Win_Probability__c ?? null).toBeNull();
    expect(o.org.sandbox.record(bystander)?.Closewise_Win_Probability__c ?? null).toBeNull();
    // Another record Salesforce keeps refusing (a validation rule): it must not block this one.
    o.org.sandbox.failWrites(refusing, { times: 1000 });

    const res = await o.call('POST', `/api/salesforce/records/Opportunity/${target}/rescore`, { body: '{}' });
    expect(res.status).toBe(200);
    const first = rescoreResultSchema.parse(res.body);
    // One click, one record: the other pending scores wait for the write-back job.
    expect(first.written).toBe(1);
    expect(first.failed).toBe(0);
    expect(o.org.sandbox.record(bystander)?.Closewise_Win_Probability__c ?? null).toBeNull();
    const stored = await details('deal', target);
    const written = o.org.sandbox.record(target);
    // Written as whole percents (scores.details.write), so noise does not cost an API call.
    expect(written?.Closewise_Win_Probability__c).toBe(Math.round((stored?.write.winProbability ?? -1) * 1000) / 10);
    expect(Math.abs(Number(written?.Closewise_Win_Probability__c) - (stored?.probability ?? -1) * 100)).toBeLessThanOrEqual(0.5);
    expect(written?.Closewise_Scored_At__c).toBeTruthy();

    const again = rescoreResultSchema.parse((await o.call('POST', `/api/salesforce/records/Opportunity/${target}/rescore`)).body);
    expect(again.written).toBe(0);
    expect(o.org.sandbox.record(target)?.Closewise_Win_Probability__c).toBe(written?.Closewise_Win_Probability__c);

    const refused = await o.call('POST', `/api/salesforce/records/Opportunity/${refusing}/rescore`, { body: '{}' });
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ error: { code: 'UPSTREAM', message: expect.stringContaining('Salesforce refused') } });
  }, 120_000);

  it('answers 409 for a closed opportunity, which Closewise does not score', async () => {
    const closed = ids('Opportunity', (r) => r.IsClosed === true)[0] as string;
    const res = await o.call('POST', `/api/salesforce/records/Opportunity/${closed}/rescore`, { body: '{}' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'CONFLICT' } });
  }, 120_000);
});
