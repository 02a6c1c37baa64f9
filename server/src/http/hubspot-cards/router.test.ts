import { request as httpRequest } from 'node:http';
import { dealCardSchema, settingsResponseSchema } from '@closewise/contract';
import { computeSignatureV3 } from '@closewise/contract/hubspot-signature';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../errors/errors.ts';
import { createFakeDeps } from './test-support/fake-deps.ts';
import { startCardApi } from './test-support/signed-client.ts';

let api: Awaited<ReturnType<typeof startCardApi>> | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function start(fake = createFakeDeps()) {
  api = await startCardApi(fake.deps);
  return { api, fake };
}

const taskBody = {
  idempotencyKey: 'click-0001-abcdef',
  actionId: 'follow-up-champion',
  title: 'Follow up with champion',
  dueDate: '2026-11-25',
};

describe('card reads', () => {
  it('returns the deal card of the signed portal, valid against the card schema', async () => {
    const { api } = await start();
    const res = await api.request('GET', '/api/hubspot/cards/deals/101?portalId=111');
    expect(res.status).toBe(200);
    const card = dealCardSchema.parse(res.body);
    expect(card).toMatchObject({ state: 'scored', id: '101', winProbability: 62.4 });
  });

  it('serves contact and company cards', async () => {
    const { api } = await start();
    expect((await api.request('GET', '/api/hubspot/cards/contacts/201?portalId=111')).body).toMatchObject({
      id: '201',
      priorityTier: 'high',
    });
    expect((await api.request('GET', '/api/hubspot/cards/companies/301?portalId=111')).body).toMatchObject({ id: '301' });
  });

  it('tolerates the query parameters HubSpot appends (appId, userId, a repeated portalId)', async () => {
    const { api } = await start();
    const res = await api.request('GET', '/api/hubspot/cards/deals/101?portalId=111&appId=9&userId=5&userEmail=a%40b.io&portalId=111');
    expect(res.status).toBe(200);
  });

  it('answers 404 with no data for a record of another portal (signed for A, asking for B)', async () => {
    const { api } = await start();
    const res = await api.request('GET', '/api/hubspot/cards/deals/202?portalId=111');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Closewise has no deal 202 for this portal.' } });
    expect(res.text).not.toContain('winProbability');
  });

  it('refuses a portal that differs between two portalId parameters', async () => {
    const { api } = await start();
    expect((await api.request('GET', '/api/hubspot/cards/deals/202?portalId=111&portalId=222')).status).toBe(400);
  });

  it('refuses a portal where Closewise is not installed', async () => {
    const { api } = await start();
    const res = await api.request('GET', '/api/hubspot/cards/deals/101?portalId=999');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('remembers a portal → tenant match for the cache window only, and never remembers a miss', async () => {
    let clock = Date.now();
    const calls: string[] = [];
    const fake = createFakeDeps();
    const resolve = fake.deps.resolveTenant;
    fake.deps.now = () => clock;
    fake.deps.tenantCacheTtlMs = 30_000;
    fake.deps.resolveTenant = async (portalId) => {
      calls.push(portalId);
      return resolve(portalId);
    };
    const { api } = await start(fake);
    const sign = () => ({ timestamp: clock });
    await api.request('GET', '/api/hubspot/cards/deals/101?portalId=111', undefined, sign());
    await api.request('GET', '/api/hubspot/cards/deals/101?portalId=111', undefined, sign());
    await api.request('GET', '/api/hubspot/cards/deals/101?portalId=999', undefined, sign());
    await api.request('GET', '/api/hubspot/cards/deals/101?portalId=999', undefined, sign());
    expect(calls).toEqual(['111', '999', '999']);
    clock += 30_001;
    expect((await api.request('GET', '/api/hubspot/cards/deals/101?portalId=111', undefined, sign())).status).toBe(200);
    expect(calls).toEqual(['111', '999', '999', '111']);
  });

  it.each([
    ['/api/hubspot/cards/tickets/101?portalId=111', 'Unknown object type'],
    ['/api/hubspot/cards/deals/abc?portalId=111', 'Record id must be numeric'],
    ['/api/hubspot/cards/deals/1e3?portalId=111', 'Record id must be numeric'],
    ['/api/hubspot/cards/deals/101', 'portalId'],
  ])('answers 400 with a JSON error for %s', async (path, message) => {
    const { api } = await start();
    const res = await api.request('GET', path);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'BAD_INPUT' } });
    expect(JSON.stringify(res.body)).toContain(message);
  });

  it('never sends data that fails the card schema', async () => {
    const fake = createFakeDeps();
    fake.deals.set('tenant-a:101', { ...dealCardSchema.parse(fake.deals.get('tenant-a:101')), dealScore: 9 } as never);
    const { api } = await start(fake);
    const res = await api.request('GET', '/api/hubspot/cards/deals/101?portalId=111');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('winProbability');
  });

  it('never sends another record even if the data layer returns one', async () => {
    const fake = createFakeDeps();
    fake.deals.set('tenant-a:101', dealCardSchema.parse({ ...fake.deals.get('tenant-b:202') }));
    const { api } = await start(fake);
    const res = await api.request('GET', '/api/hubspot/cards/deals/101?portalId=111');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('202');
  });
});

describe('signature', () => {
  it('answers 401 to an unsigned request', async () => {
    const { api } = await start();
    const res = await api.request('GET', '/api/hubspot/cards/deals/101?portalId=111', undefined, { unsigned: true });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('winProbability');
  });

  it('answers 401 to a request signed with another secret', async () => {
    const { api } = await start();
    expect((await api.request('GET', '/api/hubspot/cards/deals/101?portalId=111', undefined, { secret: 'forged' })).status).toBe(401);
  });

  it('answers 401 to an expired signature and accepts a recent one', async () => {
    const { api } = await start();
    const old = Date.now() - 5 * 60 * 1000 - 1000;
    expect((await api.request('GET', '/api/hubspot/cards/deals/101?portalId=111', undefined, { timestamp: old })).body).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'Request signature has expired; reload the card.' },
    });
    const recent = Date.now() - 4 * 60 * 1000;
    expect((await api.request('GET', '/api/hubspot/cards/deals/101?portalId=111', undefined, { timestamp: recent })).status).toBe(200);
  });

  it('answers 401 when the portal in the URL was changed after signing', async () => {
    const { api, fake } = await start();
    const url = `${api.origin}/api/hubspot/cards/deals/202?portalId=111`;
    const timestamp = String(Date.now());
    const signature = computeSignatureV3(fake.deps.clientSecret, { method: 'GET', uri: url, rawBody: '', timestamp });
    const res = await fetch(`${api.origin}/api/hubspot/cards/deals/202?portalId=222`, {
      headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
    });
    expect(res.status).toBe(401);
  });

  it('answers 401 when the body was changed after signing', async () => {
    const { api, fake } = await start();
    const url = `${api.origin}/api/hubspot/cards/deals/101/actions/create-task?portalId=111`;
    const timestamp = String(Date.now());
    const signature = computeSignatureV3(fake.deps.clientSecret, {
      method: 'POST',
      uri: url,
      rawBody: JSON.stringify(taskBody),
      timestamp,
    });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
      body: JSON.stringify({ ...taskBody, title: 'Something else' }),
    });
    expect(res.status).toBe(401);
    expect(fake.tasks).toHaveLength(0);
  });

  it('verifies against the public origin when the app sits behind a proxy', async () => {
    const fake = createFakeDeps({ publicBaseUrl: 'https://api.closewise.io' });
    const { api } = await start(fake);
    // Signed for the local origin, but HubSpot would have signed the public one.
    expect((await api.request('GET', '/api/hubspot/cards/deals/101?portalId=111')).status).toBe(401);
  });

  it('never takes the signed origin from a non-loopback Host header when PUBLIC_BASE_URL is not set', async () => {
    const { api } = await start();
    const path = '/api/hubspot/cards/deals/101?portalId=111';
    const send = (host: string) => {
      const timestamp = String(Date.now());
      const signature = computeSignatureV3('test-client-secret', { method: 'GET', uri: `http://${host}${path}`, rawBody: '', timestamp });
      return new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${api.origin}${path}`, {
          headers: { host, 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    };
    // Signed by someone who knows the secret for a host they chose: refused, whatever the Host header says.
    expect(await send('evil.example')).toBe(401);
    // Loopback development (tests, the demo, the preview) keeps checking against its own origin.
    expect(await send(new URL(api.origin).host)).toBe(200);
  });

  it('signs unknown routes too: 404 only after a valid signature', async () => {
    const { api } = await start();
    expect((await api.request('GET', '/api/hubspot/nothing?portalId=111', undefined, { unsigned: true })).status).toBe(401);
    expect((await api.request('GET', '/api/hubspot/nothing?portalId=111')).status).toBe(404);
  });
});

describe('actions', () => {
  it('creates a task with the card payload', async () => {
    const { api, fake } = await start();
    const res = await api.request('POST', '/api/hubspot/cards/deals/101/actions/create-task?portalId=111', taskBody);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ taskId: 'task-1', created: true });
    expect(fake.tasks).toEqual([
      {
        tenantId: 'tenant-a',
        objectType: 'deals',
        id: '101',
        title: 'Follow up with champion',
        dueDate: '2026-11-25',
        key: taskBody.idempotencyKey,
      },
    ]);
  });

  it('creates one task when the same action is replayed, sequentially or concurrently', async () => {
    const { api, fake } = await start();
    const path = '/api/hubspot/cards/deals/101/actions/create-task?portalId=111';
    const [a, b] = await Promise.all([api.request('POST', path, taskBody), api.request('POST', path, taskBody)]);
    const c = await api.request('POST', path, taskBody);
    expect(fake.tasks).toHaveLength(1);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(c.body).toEqual({ taskId: 'task-1', created: false });
    // A new click (new key) is a new task.
    await api.request('POST', path, { ...taskBody, idempotencyKey: 'click-0002-abcdef' });
    expect(fake.tasks).toHaveLength(2);
  });

  it('retries for real after a failed attempt (failures are not replayed)', async () => {
    let failNext = true;
    const fake = createFakeDeps();
    const create = fake.deps.actions.createTask;
    fake.deps.actions.createTask = async (...args) => {
      if (failNext) {
        failNext = false;
        throw new UpstreamError('HubSpot answered 502.');
      }
      return create(...args);
    };
    const { api } = await start(fake);
    const path = '/api/hubspot/cards/deals/101/actions/create-task?portalId=111';
    expect((await api.request('POST', path, taskBody)).status).toBe(502);
    expect((await api.request('POST', path, taskBody)).status).toBe(201);
    expect(fake.tasks).toHaveLength(1);
  });

  it('refuses an idempotency key reused for a different request', async () => {
    const { api } = await start();
    const path = '/api/hubspot/cards/deals/101/actions/create-task?portalId=111';
    await api.request('POST', path, taskBody);
    const res = await api.request('POST', path, { ...taskBody, title: 'Another task' });
    expect(res.status).toBe(409);
  });

  it('keys replays per tenant and record: the same key elsewhere is a different action', async () => {
    const { api, fake } = await start();
    await api.request('POST', '/api/hubspot/cards/deals/101/actions/create-task?portalId=111', taskBody);
    await api.request('POST', '/api/hubspot/cards/deals/202/actions/create-task?portalId=222', taskBody);
    expect(fake.tasks.map((t) => t.tenantId)).toEqual(['tenant-a', 'tenant-b']);
  });

  it('does not create a task on a record of another portal', async () => {
    const { api, fake } = await start();
    const res = await api.request('POST', '/api/hubspot/cards/deals/202/actions/create-task?portalId=111', taskBody);
    expect(res.status).toBe(404);
    expect(fake.tasks).toHaveLength(0);
  });

  it.each([
    ['missing idempotency key', { ...taskBody, idempotencyKey: undefined }],
    ['short idempotency key', { ...taskBody, idempotencyKey: 'abc' }],
    ['bad due date', { ...taskBody, dueDate: '25/11/2026' }],
    ['empty title', { ...taskBody, title: '' }],
  ])('answers 400 to a create-task body with %s', async (_name, body) => {
    const { api, fake } = await start();
    const res = await api.request('POST', '/api/hubspot/cards/deals/101/actions/create-task?portalId=111', body);
    expect(res.status).toBe(400);
    expect(fake.tasks).toHaveLength(0);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const { api } = await start();
    const res = await api.request('POST', '/api/hubspot/cards/deals/101/actions/rescore?portalId=111', undefined);
    expect(res.status).toBe(400);
  });

  it('rescores and returns the fresh card', async () => {
    const { api, fake } = await start();
    const res = await api.request('POST', '/api/hubspot/cards/deals/101/actions/rescore?portalId=111', { idempotencyKey: 'rescore-0001' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: '101', winProbability: 70 });
    expect(fake.rescores).toEqual(['tenant-a:deals:101']);
  });

  it('answers 400 to NUL characters and lone surrogates anywhere in a body, before the data layer sees them', async () => {
    const { api, fake } = await start();
    const path = '/api/hubspot/cards/deals/101/actions/snooze?portalId=111';
    for (const actionId of ['multi\u0000thread', 'multi\ud800', '\udc00']) {
      const res = await api.request('POST', path, { idempotencyKey: 'snooze-nul-0001', actionId, until: '2026-11-29' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        error: { code: 'BAD_INPUT', message: expect.stringMatching(/actionId.*NUL character or an unpaired UTF-16 surrogate/) },
      });
    }
    const keyed = await api.request('POST', path, { idempotencyKey: 'snooze-nul-0002', actionId: 'x', until: '2026-11-29', 'a\u0000': 1 });
    expect(keyed.status).toBe(400);
    expect(fake.snoozes).toEqual([]);
  });

  it('answers 400, not 500, to a malformed percent-escape in the record id', async () => {
    const { api } = await start();
    const res = await api.request('GET', '/api/hubspot/cards/deals/10%E0%A4%A?portalId=111');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'BAD_INPUT', message: expect.stringMatching(/malformed percent-escape/) } });
  });

  it('snoozes an action once per key', async () => {
    const { api, fake } = await start();
    const body = { idempotencyKey: 'snooze-0001', actionId: 'multi-thread', until: '2026-11-29' };
    const path = '/api/hubspot/cards/deals/101/actions/snooze?portalId=111';
    expect((await api.request('POST', path, body)).body).toEqual({ actionId: 'multi-thread', until: '2026-11-29' });
    await api.request('POST', path, body);
    expect(fake.snoozes).toEqual([{ tenantId: 'tenant-a', id: '101', actionId: 'multi-thread', until: '2026-11-29' }]);
  });
});

describe('settings', () => {
  it('reads the tenant settings', async () => {
    const { api } = await start();
    const res = await api.request('GET', '/api/hubspot/settings?portalId=111');
    expect(res.status).toBe(200);
    expect(settingsResponseSchema.parse(res.body).values.lonelyWindowDays).toBe(30);
  });

  it('writes validated settings with PUT and returns what is stored', async () => {
    const { api, fake } = await start();
    const values = { ...settingsResponseSchema.parse(fake.settings.get('tenant-a')).values, lonelyWindowDays: 45 };
    const res = await api.request('PUT', '/api/hubspot/settings?portalId=111', values);
    expect(res.status).toBe(200);
    expect(settingsResponseSchema.parse(res.body).values.lonelyWindowDays).toBe(45);
    expect(fake.settings.get('tenant-a')?.values.lonelyWindowDays).toBe(45);
  });

  it('answers 400 to settings holding NUL or a lone surrogate', async () => {
    const { api, fake } = await start();
    const values = settingsResponseSchema.parse(fake.settings.get('tenant-a')).values;
    for (const excludedProperties of [['hs_\u0000x'], ['a\ud800']]) {
      expect((await api.request('PUT', '/api/hubspot/settings?portalId=111', { ...values, excludedProperties })).status).toBe(400);
    }
    expect(fake.settings.get('tenant-a')?.values.excludedProperties).toEqual(values.excludedProperties);
  });

  it('answers 400 to invalid settings and to the data layer refusing them', async () => {
    const { api, fake } = await start();
    const values = settingsResponseSchema.parse(fake.settings.get('tenant-a')).values;
    const bad = await api.request('PUT', '/api/hubspot/settings?portalId=111', { ...values, retrainingCron: 'sometimes' });
    expect(bad.status).toBe(400);
    const unknown = await api.request('PUT', '/api/hubspot/settings?portalId=111', {
      ...values,
      pipelines: [{ pipelineId: 'nope', included: true, firstProposalStageId: null }],
    });
    expect(unknown.body).toEqual({ error: { code: 'BAD_INPUT', message: 'Unknown pipeline nope.' } });
    expect(fake.settings.get('tenant-a')?.values.retrainingCron).toBe('0 3 * * 0');
  });
});
