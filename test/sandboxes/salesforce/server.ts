import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { BulkQueryJobs } from './bulk2.ts';
import { describeGlobal, describeObject } from './describe.ts';
import { SalesforceApiError } from './errors.ts';
import { errorReply, parseJsonBody, type Reply, readBody, send } from './http.ts';
import type { OAuthServer } from './oauth.ts';
import type { Org, SRecord } from './org.ts';
import { toJsonRecord } from './serialize.ts';
import { planQuery, type QueryPlan, runQuery } from './soql/evaluate.ts';
import { parseSoql } from './soql/parser.ts';
import { type InjectedFailure, updateCollection } from './writes.ts';

/** Mutable state the handlers share; the sandbox replaces `org` and `bulk` when a portal is loaded. */
export interface SandboxState {
  org: Org;
  bulk: BulkQueryJobs;
  oauth: OAuthServer;
  version: string;
  dailyLimit: number;
  apiUsed: number;
  queryBatchSize: number;
  failures: Map<string, InjectedFailure>;
  stats: {
    requests: number;
    byRoute: Record<string, number>;
    rejectedSessions: number;
    limitRejections: number;
    collectionSizes: number[];
  };
}

interface Cursor {
  plan: QueryPlan;
  rows: SRecord[];
  batchSize: number;
}

const MAX_CURSORS = 200;

export function createSandboxServer(state: SandboxState): Server {
  const cursors = new Map<string, Cursor>();

  function page(cursorId: string, cursor: Cursor, offset: number): Reply {
    const rows = cursor.rows.slice(offset, offset + cursor.batchSize);
    const end = offset + rows.length;
    const done = end >= cursor.rows.length;
    if (done) cursors.delete(cursorId);
    return {
      status: 200,
      json: {
        totalSize: cursor.rows.length,
        done,
        ...(done ? {} : { nextRecordsUrl: `/services/data/v${state.version}/query/${cursorId}-${end}` }),
        records: rows.map((r) => toJsonRecord(state.org, cursor.plan, r, state.version)),
      },
    };
  }

  function query(q: string | null, includeDeleted: boolean, options: string | undefined): Reply {
    if (!q) throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const plan = planQuery(state.org, parseSoql(q));
    const rows = runQuery(state.org, plan, { includeDeleted });
    if (plan.query.select.kind === 'count') return { status: 200, json: { totalSize: rows.length, done: true, records: [] } };
    const requested = Number(/batchSize=(\d+)/.exec(options ?? '')?.[1] ?? state.queryBatchSize);
    const batchSize = Math.min(2000, Math.max(200, requested));
    const cursorId = `01g5g${randomBytes(6).toString('hex').toUpperCase()}`;
    if (cursors.size >= MAX_CURSORS) cursors.delete(cursors.keys().next().value ?? '');
    const cursor = { plan, rows, batchSize };
    cursors.set(cursorId, cursor);
    return page(cursorId, cursor, 0);
  }

  function queryMore(locator: string): Reply {
    const match = /^(.+)-(\d+)$/.exec(locator);
    const cursor = match?.[1] ? cursors.get(match[1]) : undefined;
    if (!match?.[1] || !cursor) throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return page(match[1], cursor, Number(match[2]));
  }

  async function rest(req: IncomingMessage, path: string, url: URL, baseUrl: string): Promise<Reply> {
    const method = req.method ?? 'GET';
    const route = (name: string) => {
      state.stats.byRoute[name] = (state.stats.byRoute[name] ?? 0) + 1;
    };
    const on = (verb: string | null, re: RegExp): RegExpExecArray | null => (verb === null || method === verb ? re.exec(path) : null);
    let m = on('GET', /^\/(query|queryAll)\/?$/);
    if (m) {
      route(m[1] ?? 'query');
      return query(url.searchParams.get('q'), m[1] === 'queryAll', req.headers['sforce-query-options'] as string | undefined);
    }
    m = on('GET', /^\/(?:query|queryAll)\/([^/]+)$/);
    if (m) {
      route('queryMore');
      return queryMore(m[1] ?? '');
    }
    if (method === 'PATCH' && path === '/composite/sobjects') {
      route('composite/sobjects');
      const body = parseJsonBody(await readBody(req));
      const size = Array.isArray((body as { records?: unknown }).records) ? ((body as { records: unknown[] }).records.length ?? 0) : 0;
      state.stats.collectionSizes.push(size);
      return { status: 200, json: updateCollection(state.org, body, state.failures) };
    }
    if (method === 'GET' && path === '/sobjects') {
      route('describeGlobal');
      return { status: 200, json: describeGlobal(state.org) };
    }
    m = on('GET', /^\/sobjects\/([^/]+)\/describe\/?$/);
    if (m) {
      route('describe');
      const def = state.org.object(m[1] ?? '');
      if (!def) throw new SalesforceApiError(404, 'NOT_FOUND', `The requested resource does not exist`);
      return { status: 200, json: describeObject(def) };
    }
    m = on('PATCH', /^\/sobjects\/([^/]+)\/([^/]+)$/);
    if (m) {
      route('sobject/update');
      const body = parseJsonBody(await readBody(req)) as Record<string, unknown>;
      const [result] = updateCollection(
        state.org,
        { allOrNone: true, records: [{ ...body, attributes: { type: m[1] }, id: m[2] }] },
        state.failures,
      );
      if (result && !result.success) {
        const error = result.errors[0];
        throw new SalesforceApiError(
          error?.statusCode === 'INVALID_CROSS_REFERENCE_KEY' ? 404 : 400,
          error?.statusCode ?? 'UNKNOWN',
          error?.message ?? 'update failed',
          error?.fields,
        );
      }
      return { status: 204 };
    }
    if (method === 'GET' && (path === '/' || path === '')) {
      route('versionRoot');
      const base = `/services/data/v${state.version}`;
      return {
        status: 200,
        json: {
          identity: `${baseUrl}/id/${state.oauth.orgId}/${state.oauth.userId}`,
          sobjects: `${base}/sobjects`,
          query: `${base}/query`,
          limits: `${base}/limits`,
        },
      };
    }
    if (method === 'GET' && path === '/limits') {
      route('limits');
      return {
        status: 200,
        json: { DailyApiRequests: { Max: state.dailyLimit, Remaining: Math.max(0, state.dailyLimit - state.apiUsed) } },
      };
    }
    if (method === 'POST' && path === '/jobs/query') {
      route('bulk2/create');
      return state.bulk.create(parseJsonBody(await readBody(req)));
    }
    m = on(null, /^\/jobs\/query\/([^/]+)(\/results)?$/);
    if (m) {
      const id = m[1] ?? '';
      if (method === 'GET' && m[2]) {
        route('bulk2/results');
        return state.bulk.results(id, url.searchParams);
      }
      if (method === 'GET') {
        route('bulk2/status');
        return state.bulk.status(id);
      }
      if (method === 'PATCH') {
        route('bulk2/abort');
        return state.bulk.abort(id);
      }
      if (method === 'DELETE') {
        route('bulk2/delete');
        return state.bulk.remove(id);
      }
    }
    throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  async function handle(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const baseUrl = `http://${req.headers.host ?? '127.0.0.1'}`;
    state.stats.requests += 1;
    if (url.pathname === '/services/oauth2/authorize' && req.method === 'GET') return state.oauth.authorizePage(url.searchParams);
    // The consent page's Allow/Deny form.
    if (url.pathname === '/services/oauth2/authorize' && req.method === 'POST')
      return state.oauth.decide(new URLSearchParams(await readBody(req)));
    if (url.pathname === '/services/oauth2/token' && req.method === 'POST')
      return state.oauth.token(new URLSearchParams(await readBody(req)), baseUrl);
    if (url.pathname === '/services/oauth2/revoke' && req.method === 'POST')
      return state.oauth.revoke(new URLSearchParams(await readBody(req)));
    // The identity URL from the token response (jsforce's conn.identity()).
    const identity = /^\/id\/(00D\w+)\/(005\w+)$/.exec(url.pathname);
    if (identity) {
      state.oauth.requireSession(req.headers.authorization);
      return {
        status: 200,
        json: {
          id: `${baseUrl}${url.pathname}`,
          organization_id: identity[1],
          user_id: identity[2],
          username: 'integration@closewise-sandbox.example',
          display_name: 'Closewise Integration',
          active: true,
          user_type: 'STANDARD',
          urls: { rest: `${baseUrl}/services/data/v${state.version}/` },
        },
      };
    }
    const rest_ = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(url.pathname);
    if (!rest_) throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    // An expired session costs nothing; a request over the daily allowance is refused before it runs.
    try {
      state.oauth.requireSession(req.headers.authorization);
    } catch (error) {
      state.stats.rejectedSessions += 1;
      throw error;
    }
    if (state.apiUsed >= state.dailyLimit) {
      state.stats.limitRejections += 1;
      throw new SalesforceApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    state.apiUsed += 1;
    const reply = await rest(req, rest_[2] ?? '/', url, baseUrl);
    return reply;
  }

  return createServer((req: IncomingMessage, res: ServerResponse) => {
    handle(req)
      .then(
        (reply) => reply,
        (error: unknown) =>
          error instanceof SalesforceApiError
            ? errorReply(error)
            : { status: 500, json: [{ errorCode: 'UNKNOWN_EXCEPTION', message: error instanceof Error ? error.message : String(error) }] },
      )
      .then((reply) => {
        if ((req.url ?? '').startsWith('/services/data/'))
          reply.headers = { ...(reply.headers ?? {}), 'Sforce-Limit-Info': `api-usage=${state.apiUsed}/${state.dailyLimit}` };
        send(res, reply);
      })
      .catch(() => res.destroy());
  });
}
