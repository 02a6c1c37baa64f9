import { computeSignatureV3, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';
import type { SeededRandom } from './seeded-random.ts';

/** One request as it goes on the wire: the path is sent byte for byte (no URL normalisation). */
export interface HostileRequest {
  /** Which route family and mutations made it, for failure reports. */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Sent with Transfer-Encoding: chunked (no Content-Length), so a size limit cannot rely on the header. */
  chunked?: boolean;
  /**
   * Headers over Node's 16 KB limit, or a declared body over ours: the server refuses these on the connection
   * (431 from Node's parser, 413 and close from us) and may reset the socket while the client is still writing.
   */
  refusedOnTheWire?: boolean;
}

/** What the generator may know about the backend: a real secret signs some requests validly. */
export interface Target {
  origin: string;
  clientSecret: string;
  portalId: string;
  records: { deals: string; contacts: string; companies: string };
  salesforceApiKey: string;
  salesforceIds: { Opportunity: string; Lead: string; Account: string };
}

const OVERSIZE_BYTES = 1_100_000;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const;
const MALFORMED_ESCAPES = ['%E0%A4%A', '%', '%ZZ', '%C3%28', '%ED%A0%80', '%F0%9F%98', '%u0041', '%%30'];
const LONE_SURROGATES = ['\ud800', '\udfff', 'a\udc00b', '\ud83d'];

/** Text that PostgreSQL cannot store or that breaks naive code: NUL, lone surrogates, huge, odd unicode. */
function hostileText(r: SeededRandom): string {
  return r.pick([
    'a\u0000b',
    '\u0000',
    r.pick(LONE_SURROGATES),
    'x'.repeat(r.int(200, 5000)),
    '\u202e\ufeff\u200b',
    '"; DROP TABLE tenants; --',
    '../../etc/passwd',
    '%00',
    '😀'.repeat(50),
  ]);
}

function hostileValue(r: SeededRandom): unknown {
  return r.pick<() => unknown>([
    () => hostileText(r),
    () => null,
    () => r.int(-1e9, 1e9),
    () => 1e308 * 10,
    () => -0,
    () => true,
    () => [],
    () => ({}),
    () => [hostileText(r), 1, null],
    () => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown,
    () => '2025-13-45',
  ])();
}

/** A copy of `body` with one field replaced by something hostile (or one extra field added). */
function mutateObject(r: SeededRandom, body: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(body);
  const copy: Record<string, unknown> = { ...body };
  if (keys.length === 0 || r.chance(0.2)) copy[r.pick(['extra', '\u0000key', '__proto__', 'a\ud800'])] = hostileValue(r);
  else copy[r.pick(keys)] = hostileValue(r);
  return copy;
}

function deepNesting(r: SeededRandom): string {
  const depth = r.int(2_000, 60_000);
  return r.chance(0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Serialises like JSON.stringify but keeps lone surrogates as raw (invalid UTF-8 once encoded) some of the time. */
function encodeJson(r: SeededRandom, value: unknown): Buffer {
  const text = JSON.stringify(value) ?? 'null';
  if (r.chance(0.3)) {
    // Raw bytes of an encoded surrogate half: not valid UTF-8, as a broken client would send it.
    return Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(text.slice(-1))]);
  }
  return Buffer.from(text, 'utf8');
}

/** A body for a route: valid, slightly wrong, or hostile in shape or size. */
function bodyFor(r: SeededRandom, valid: () => unknown): { body: Buffer; label: string } {
  const roll = r.next();
  if (roll < 0.3) return { body: Buffer.from(JSON.stringify(valid())), label: 'valid' };
  if (roll < 0.55) {
    const base = valid();
    const mutated =
      base && typeof base === 'object' && !Array.isArray(base) ? mutateObject(r, base as Record<string, unknown>) : hostileValue(r);
    return { body: Buffer.from(JSON.stringify(mutated) ?? 'null'), label: 'mutated' };
  }
  if (roll < 0.63) return { body: encodeJson(r, valid()), label: 'raw-surrogate' };
  if (roll < 0.7) {
    const text = JSON.stringify(valid()) ?? '{}';
    return { body: Buffer.from(text.slice(0, r.int(0, Math.max(0, text.length - 1)))), label: 'truncated-json' };
  }
  if (roll < 0.75) return { body: Buffer.from(deepNesting(r)), label: 'deep-nesting' };
  if (roll < 0.8) return { body: Buffer.from(JSON.stringify(hostileValue(r)) ?? 'null'), label: 'wrong-type' };
  if (roll < 0.84) return { body: Buffer.from(`{"pad":"${'x'.repeat(OVERSIZE_BYTES)}"}`), label: 'oversize' };
  if (roll < 0.88) return { body: Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x7b]), label: 'binary' };
  if (roll < 0.92) return { body: Buffer.from('{"a":1,"a":2,"b":"\\u0000","c":"\\ud800"}'), label: 'escaped-nul-surrogate' };
  return { body: Buffer.alloc(0), label: 'empty' };
}

function pathSegment(r: SeededRandom, good: string): string {
  const roll = r.next();
  if (roll < 0.55) return good;
  if (roll < 0.75) return `${good.slice(0, 2)}${r.pick(MALFORMED_ESCAPES)}`;
  if (roll < 0.8) return '%00';
  if (roll < 0.85) return `${encodeURIComponent(r.pick(LONE_SURROGATES).replace(/[\ud800-\udfff]/g, 'x'))}%ED%B0%80`;
  if (roll < 0.9) return '9'.repeat(r.int(21, 3000));
  if (roll < 0.95) return '..%2F..%2Fetc';
  return encodeURIComponent('ünïcödé');
}

function portalQuery(r: SeededRandom, portalId: string): string {
  return r.pick([
    `portalId=${portalId}`,
    `portalId=${portalId}`,
    `portalId=${portalId}`,
    `portalId=${portalId}&portalId=${portalId}`,
    `portalId=${portalId}&portalId=1`,
    `portalId[]=${portalId}`,
    `portalId[a]=${portalId}`,
    `portalId[__proto__]=1`,
    `portalId=${r.pick(MALFORMED_ESCAPES)}`,
    `portalId=${portalId}&x=${r.pick(MALFORMED_ESCAPES)}`,
    'portalId=%00',
    'portalId=999999',
    '',
    `portalId=${portalId}&${'a[b]'.repeat(200)}=1`,
    `${Array.from({ length: 300 }, (_, i) => `p${i}=${i}`).join('&')}&portalId=${portalId}`,
  ]);
}

function signedHeaders(
  r: SeededRandom,
  target: Target,
  method: string,
  path: string,
  body: Buffer,
): { headers: Record<string, string>; label: string } {
  const now = Date.now();
  const roll = r.next();
  const sign = (timestamp: number) =>
    computeSignatureV3(target.clientSecret, { method, uri: `${target.origin}${path}`, rawBody: body, timestamp: String(timestamp) });
  if (roll < 0.5) return { headers: { [SIGNATURE_HEADER]: sign(now), [TIMESTAMP_HEADER]: String(now) }, label: 'signed' };
  if (roll < 0.6)
    return { headers: { [SIGNATURE_HEADER]: sign(now - 10 * 60_000), [TIMESTAMP_HEADER]: String(now - 10 * 60_000) }, label: 'stale' };
  if (roll < 0.7) {
    const forged = computeSignatureV3('not-the-secret', { method, uri: `${target.origin}${path}`, rawBody: body, timestamp: String(now) });
    return { headers: { [SIGNATURE_HEADER]: forged, [TIMESTAMP_HEADER]: String(now) }, label: 'forged' };
  }
  if (roll < 0.75) return { headers: { [SIGNATURE_HEADER]: sign(now), [TIMESTAMP_HEADER]: 'NaN' }, label: 'bad-timestamp' };
  if (roll < 0.8)
    return { headers: { [SIGNATURE_HEADER]: 'x'.repeat(r.int(0, 500)), [TIMESTAMP_HEADER]: String(now) }, label: 'garbage-sig' };
  return { headers: {}, label: 'unsigned' };
}

function cardRequest(r: SeededRandom, t: Target): HostileRequest {
  const type = r.pick(['deals', 'contacts', 'companies'] as const);
  const objectType = r.chance(0.9) ? type : r.pick(['tickets', 'deal', '%E0%A4%A', '%00', 'DEALS']);
  const id = pathSegment(r, r.chance(0.8) ? t.records[type] : String(r.int(1, 99999)));
  const action = r.pick(['', '', '/actions/create-task', '/actions/snooze', '/actions/rescore', '/actions/%E0%A4%A', '/actions/delete']);
  const method = r.chance(0.85) ? (action === '' ? 'GET' : 'POST') : r.pick(METHODS);
  const path = `/api/hubspot/cards/${objectType}/${id}${action}?${portalQuery(r, t.portalId)}`;
  const key = () => `key-${r.int(0, 40)}-fuzz`;
  const valid = (): unknown =>
    action.endsWith('create-task')
      ? { idempotencyKey: key(), actionId: 'a1', title: 'Call back', dueDate: '2026-01-10' }
      : action.endsWith('snooze')
        ? { idempotencyKey: key(), actionId: r.chance(0.5) ? 'a\u0000b' : 'a1', until: '2026-02-01' }
        : { idempotencyKey: key() };
  const { body, label: bodyLabel } =
    method === 'GET' || method === 'HEAD' ? { body: Buffer.alloc(0), label: 'no-body' } : bodyFor(r, valid);
  const signed = signedHeaders(r, t, method, path, body);
  return {
    label: `card ${method} ${action || 'read'} ${bodyLabel} ${signed.label}`,
    method,
    path,
    body,
    headers: { 'content-type': 'application/json', ...signed.headers },
  };
}

function settingsRequest(r: SeededRandom, t: Target): HostileRequest {
  const method = r.chance(0.85) ? r.pick(['GET', 'PUT']) : r.pick(METHODS);
  const path = `/api/hubspot/settings${r.chance(0.1) ? `/${r.pick(MALFORMED_ESCAPES)}` : ''}?${portalQuery(r, t.portalId)}`;
  const valid = () => ({
    varianceThreshold: 0.1,
    stalledDealPercentile: 80,
    lonelyWindowDays: 30,
    retrainingCron: r.chance(0.3) ? '0 3 * * \u0000' : '0 3 * * 0',
    excludedProperties: r.chance(0.5) ? ['hs_\u0000x', 'a\ud800'] : ['notes'],
    pipelines: [],
  });
  const { body, label: bodyLabel } = method === 'GET' ? { body: Buffer.alloc(0), label: 'no-body' } : bodyFor(r, valid);
  const signed = signedHeaders(r, t, method, path, body);
  return {
    label: `settings ${method} ${bodyLabel} ${signed.label}`,
    method,
    path,
    body,
    headers: { 'content-type': 'application/json', ...signed.headers },
  };
}

function webhookEvent(r: SeededRandom, t: Target, i: number): Record<string, unknown> {
  const event: Record<string, unknown> = {
    eventId: 1000 + i,
    subscriptionId: 55,
    portalId: r.chance(0.9) ? Number(t.portalId) : r.int(1, 9999),
    appId: 777,
    occurredAt: Date.now() - r.int(0, 60_000),
    subscriptionType: r.pick(['deal.propertyChange', 'contact.creation', 'company.deletion', 'object.propertyChange']),
    attemptNumber: 0,
    objectId: Number(r.pick([t.records.deals, t.records.contacts, t.records.companies])),
    propertyName: r.pick(['amount', 'dealstage', 'closewise_score', 'hs_\u0000x', 'a\ud800']),
    propertyValue: r.pick(['100', 'a\u0000b', '\udfff', 'x'.repeat(2000)]),
    changeSource: r.pick(['CRM_UI', 'INTEGRATION', 'IMPORT']),
  };
  return r.chance(0.2) ? mutateObject(r, event) : event;
}

function webhookRequest(r: SeededRandom, t: Target): HostileRequest {
  const method = r.chance(0.9) ? 'POST' : r.pick(METHODS);
  const path = r.chance(0.9)
    ? '/webhooks/hubspot'
    : r.pick(['/webhooks/hubspot/', '/webhooks/hubspot?x=%E0%A4%A', '/webhooks/hubspot/%00']);
  const valid = () => Array.from({ length: r.int(1, 120) }, (_, i) => webhookEvent(r, t, i));
  const { body, label: bodyLabel } = bodyFor(r, valid);
  const signed = signedHeaders(r, t, method, path, body);
  return {
    label: `webhook ${method} ${bodyLabel} ${signed.label}`,
    method,
    path,
    body,
    headers: { 'content-type': 'application/json', ...signed.headers },
  };
}

function oauthRequest(r: SeededRandom): HostileRequest {
  const path = r.pick([
    '/oauth/hubspot/install',
    `/oauth/hubspot/callback?code=${r.pick(['abc', '%E0%A4%A', '%00', ''])}&state=${r.pick(['x', 'a.b.c', '%E0%A4%A', 'x'.repeat(3000)])}`,
    '/oauth/hubspot/callback?error=access_denied',
    '/oauth/hubspot/callback?code[]=1&state[]=2',
    `/oauth/hubspot/${r.pick(MALFORMED_ESCAPES)}`,
  ]);
  const method = r.chance(0.85) ? 'GET' : r.pick(METHODS);
  return { label: `oauth ${method}`, method, path, headers: {} };
}

function salesforceRequest(r: SeededRandom, t: Target): HostileRequest {
  const object = r.pick(['Opportunity', 'Lead', 'Account'] as const);
  const objectName = r.chance(0.9) ? object : r.pick(['Case', 'opportunity', '%E0%A4%A', '%00']);
  const id = pathSegment(r, r.chance(0.85) ? t.salesforceIds[object] : '006000000000002AAA');
  const route = r.pick([
    `/models/${objectName}`,
    `/records/${objectName}/${id}/rescore`,
    `/records/${objectName}/${id}/reasons`,
    `/records/${objectName}/${id}/task-suggestion`,
    `/records/${objectName}/${id}/%E0%A4%A`,
  ]);
  const method = r.chance(0.85) ? (route.endsWith('rescore') || route.endsWith('task-suggestion') ? 'POST' : 'GET') : r.pick(METHODS);
  const authorization = r.pick([
    `Bearer ${t.salesforceApiKey}`,
    `Bearer ${t.salesforceApiKey}`,
    `Bearer ${t.salesforceApiKey}`,
    `bearer  ${t.salesforceApiKey}`,
    'Bearer cwsf_000000000000_forged',
    `Bearer ${t.salesforceApiKey}\u0000`.replace('\u0000', ''),
    'Basic YTpi',
    `Bearer ${'x'.repeat(3000)}`,
    '',
  ]);
  const { body, label: bodyLabel } =
    method === 'GET' || method === 'HEAD'
      ? { body: Buffer.alloc(0), label: 'no-body' }
      : r.chance(0.4)
        ? { body: Buffer.from('{}'), label: 'empty-object' }
        : bodyFor(r, () => ({}));
  const contentType = r.pick([
    'application/json',
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json; charset=utf-16',
  ]);
  return {
    label: `salesforce ${method} ${route.split('/')[1]} ${bodyLabel} ${contentType}`,
    method,
    path: `/api/salesforce${route}${r.chance(0.1) ? `?q=${r.pick(MALFORMED_ESCAPES)}&q=1&q[x]=2` : ''}`,
    body,
    headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
  };
}

function strayRequest(r: SeededRandom): HostileRequest {
  const path = r.pick([
    '/',
    '/healthz',
    '/healthz?x=%E0%A4%A',
    '/nope',
    `/${r.pick(MALFORMED_ESCAPES)}`,
    '/api',
    '/api/hubspot',
    '/api/salesforce',
    '/webhooks',
    '/%00',
    `/${'a/'.repeat(500)}`,
    '/api/hubspot/cards',
  ]);
  const method = r.pick(METHODS);
  const { body, label } =
    method === 'GET' || method === 'HEAD' ? { body: Buffer.alloc(0), label: 'no-body' } : bodyFor(r, () => ({ hello: 'world' }));
  return {
    label: `stray ${method} ${label}`,
    method,
    path,
    body,
    headers: { 'content-type': r.pick(['application/json', 'text/plain', 'multipart/form-data; boundary=x']) },
  };
}

/** Hostile headers on top of any request: huge values, odd content types, a chunked body. */
function withHeaderMutations(r: SeededRandom, request: HostileRequest): HostileRequest {
  const roll = r.next();
  if (roll < 0.03) {
    const cookie = `a=${'x'.repeat(r.int(9_000, 40_000))}`;
    return {
      ...request,
      label: `${request.label} huge-header`,
      headers: { ...request.headers, cookie },
      refusedOnTheWire: cookie.length > 16_000 || request.refusedOnTheWire === true,
    };
  }
  if (roll < 0.06)
    return {
      ...request,
      label: `${request.label} many-headers`,
      headers: { ...request.headers, ...Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`x-h${i}`, 'v'])) },
    };
  if (roll < 0.1 && request.body && request.body.length > 0) return { ...request, label: `${request.label} chunked`, chunked: true };
  if (roll < 0.13)
    return {
      ...request,
      label: `${request.label} odd-content-type`,
      headers: {
        ...request.headers,
        'content-type': r.pick(['application/json; charset=latin1', 'text/html', '', 'application/json, text/plain']),
      },
    };
  return request;
}

/** A seeded stream of `count` hostile requests over every mounted route. */
export function hostileRequests(r: SeededRandom, target: Target, count: number): HostileRequest[] {
  const families: [number, () => HostileRequest][] = [
    [0.34, () => cardRequest(r, target)],
    [0.1, () => settingsRequest(r, target)],
    [0.16, () => webhookRequest(r, target)],
    [0.08, () => oauthRequest(r)],
    [0.24, () => salesforceRequest(r, target)],
    [0.08, () => strayRequest(r)],
  ];
  const requests: HostileRequest[] = [];
  for (let i = 0; i < count; i++) {
    const roll = r.next();
    let cumulative = 0;
    const family =
      families.find(([weight]) => {
        cumulative += weight;
        return roll < cumulative;
      })?.[1] ?? families[0]?.[1];
    if (!family) throw new Error('no request families');
    const request = family();
    const oversize = (request.body?.length ?? 0) > OVERSIZE_BYTES;
    requests.push(withHeaderMutations(r, oversize ? { ...request, refusedOnTheWire: true } : request));
  }
  return requests;
}
