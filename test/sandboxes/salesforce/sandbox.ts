import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { PortalData } from '../seed/portal-data.ts';
import { BulkQueryJobs } from './bulk2.ts';
import { recordChanges } from './field-history.ts';
import { DEFAULT_REDIRECT_URIS } from './fixtures/connected-app.ts';
import { loadPortalIntoOrg } from './load-portal.ts';
import { OAuthServer } from './oauth.ts';
import { Org, type SRecord } from './org.ts';
import { createSandboxServer, type SandboxState } from './server.ts';

/**
 * A local Salesforce org over HTTP that answers as jsforce 3 expects (see README.md beside this file).
 * Everything listens on 127.0.0.1; instance and login URLs are the same server.
 */
const optionsSchema = z.object({
  port: z.number().int().min(0).max(65535).default(0),
  clientId: z.string().min(1).default('3MVG9closewise.sandbox.client'),
  clientSecret: z.string().min(1).default('closewise-sandbox-secret'),
  /** The default app's callback URLs (exact match); the demo's and the tests' when none are given. */
  redirectUris: z
    .array(z.url())
    .min(1)
    .default([...DEFAULT_REDIRECT_URIS]),
  /** Whether the default app requires PKCE (authorize without code_challenge is refused). */
  requirePkce: z.boolean().default(false),
  /** Further connected apps of the org, each with its own credentials and callback URLs. */
  connectedApps: z
    .array(
      z.object({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        redirectUris: z.array(z.url()).min(1),
        requirePkce: z.boolean().default(false),
      }),
    )
    .default([]),
  /** How long an authorization code can be exchanged (Salesforce: 15 minutes). */
  authorizationCodeTtlMs: z
    .number()
    .int()
    .min(1)
    .default(15 * 60 * 1000),
  apiVersion: z
    .string()
    .regex(/^\d+\.\d$/)
    .default('62.0'),
  /** Daily API request allowance (Developer Edition: 15,000). */
  dailyLimit: z.number().int().min(1).default(15_000),
  accessTokenTtlMs: z
    .number()
    .int()
    .min(1)
    .default(2 * 60 * 60 * 1000),
  /** REST query page size when the client sends no Sforce-Query-Options (Salesforce: 2,000). */
  queryBatchSize: z.number().int().min(200).max(2000).default(2000),
  bulkPageSize: z.number().int().min(1).default(10_000),
  bulkPollsBeforeComplete: z.number().int().min(0).default(0),
  /** Whether the Closewise DX package (salesforce-lwc/) is deployed: its fields exist. */
  closewiseFieldsInstalled: z.boolean().default(true),
  /** Fields (API names by object) the loaded org does not track history for, e.g. { Opportunity: ['Close_Reason__c'] }. */
  untrackedHistory: z.record(z.string(), z.array(z.string())).default({}),
});
export type SalesforceSandboxOptions = z.input<typeof optionsSchema>;

export interface SalesforceSandboxStats {
  requests: number;
  apiUsed: number;
  dailyLimit: number;
  byRoute: Record<string, number>;
  rejectedSessions: number;
  limitRejections: number;
  tokenRefreshes: number;
  /** Tokens revoked through /services/oauth2/revoke. */
  tokenRevocations: number;
  /** Refresh tokens still valid. */
  liveRefreshTokens: number;
  collectionSizes: number[];
  bulkJobs: number;
  bulkPages: number;
  records: Record<string, number>;
}

export interface SalesforceSandbox {
  url: string;
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  apiVersion: string;
  /** The default app's callback URLs. */
  redirectUris: readonly string[];
  /**
   * Plays the admin on the consent page of `authorizeUrl` over HTTP, as a browser would (GET the page, post
   * Allow or Deny); returns where Salesforce redirects (the callback with `code` or `error`, and `state`).
   * Throws with the page's text when Salesforce shows an error page instead.
   */
  approveAuthorization(authorizeUrl: string, decision?: 'allow' | 'deny'): Promise<URL>;
  /** Every authorization code issued so far is past its 15 minutes. */
  expireAuthorizationCodes(): void;
  /** As an admin revoking the app in Setup: every access and refresh token stops working (refresh: invalid_grant). */
  revokeAllTokens(): void;
  /** Replaces the org's data with the portal's; returns seed id → Salesforce id. */
  loadPortal(data: PortalData): { idMap: Map<string, string>; counts: Record<string, number> };
  /** Tokens for a connected app that is already authorised (tests that skip the browser step). */
  issueTokens(): { accessToken: string; refreshToken: string };
  /** Every access token issued so far stops working (refresh tokens stay valid). */
  expireAccessTokens(): void;
  setDailyLimit(limit: number): void;
  /** A new 24-hour window: the usage counter starts again. */
  resetDailyUsage(): void;
  /** The next `times` writes of this record fail with the given error, like a validation rule. */
  failWrites(id: string, failure: { times: number; statusCode?: string; message?: string }): void;
  /** Reads a record directly (test assertions), or undefined. */
  record(id: string): SRecord | undefined;
  records(objectName: string): SRecord[];
  /** Every Bulk 2.0 job and its results are gone, as after Salesforce's retention period. */
  expireBulkJobs(): void;
  /** Moves a record to the recycle bin: hidden from query, visible to queryAll with IsDeleted = true. */
  deleteRecord(id: string): void;
  /** Changes a record as a user in Salesforce would, stamping SystemModstamp. */
  editRecord(id: string, values: SRecord): void;
  stats(): SalesforceSandboxStats;
  stop(): Promise<void>;
}

export async function startSalesforceSandbox(options: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  const o = optionsSchema.parse(options);
  const emptyOrg = new Org({ stageNames: [], closewiseFieldsInstalled: o.closewiseFieldsInstalled });
  const bulk = (org: Org) =>
    new BulkQueryJobs(org, { pollsBeforeComplete: o.bulkPollsBeforeComplete, pageSize: o.bulkPageSize, version: o.apiVersion });
  const state: SandboxState = {
    org: emptyOrg,
    bulk: bulk(emptyOrg),
    oauth: new OAuthServer({
      apps: [
        { clientId: o.clientId, clientSecret: o.clientSecret, redirectUris: o.redirectUris, requirePkce: o.requirePkce },
        ...o.connectedApps,
      ],
      accessTokenTtlMs: o.accessTokenTtlMs,
      authorizationCodeTtlMs: o.authorizationCodeTtlMs,
      orgId: '00D5g0000000001EAA',
      userId: '0055g0000000001AAA',
      username: 'integration@closewise-sandbox.example',
    }),
    version: o.apiVersion,
    dailyLimit: o.dailyLimit,
    apiUsed: 0,
    queryBatchSize: o.queryBatchSize,
    failures: new Map(),
    stats: { requests: 0, byRoute: {}, rejectedSessions: 0, limitRejections: 0, collectionSizes: [] },
  };
  const server = createSandboxServer(state);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    loginUrl: url,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    apiVersion: o.apiVersion,
    redirectUris: o.redirectUris,
    approveAuthorization: (authorizeUrl, decision = 'allow') => approveAuthorization(authorizeUrl, decision),
    expireAuthorizationCodes: () => state.oauth.expireCodes(),
    revokeAllTokens: () => state.oauth.revokeAll(),
    loadPortal(data) {
      const loaded = loadPortalIntoOrg(data, {
        closewiseFieldsInstalled: o.closewiseFieldsInstalled,
        untrackedHistory: o.untrackedHistory,
      });
      state.org = loaded.org;
      state.bulk = bulk(loaded.org);
      const counts = Object.fromEntries([...loaded.org.schema.keys()].map((name) => [name, loaded.org.count(name)]));
      return { idMap: loaded.idMap, counts };
    },
    issueTokens: () => state.oauth.issueTokens(),
    expireAccessTokens: () => state.oauth.expireAll(),
    setDailyLimit(limit) {
      state.dailyLimit = limit;
    },
    resetDailyUsage() {
      state.apiUsed = 0;
    },
    failWrites(id, failure) {
      state.failures.set(state.org.get(id)?.record.Id?.toString() ?? id, {
        remaining: failure.times,
        statusCode: failure.statusCode ?? 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: failure.message ?? 'Closewise fields cannot change while the record is locked for approval',
      });
    },
    record: (id) => state.org.get(id)?.record,
    records: (objectName) => state.org.all(objectName),
    expireBulkJobs: () => state.bulk.expireAll(),
    deleteRecord(id) {
      const found = state.org.get(id);
      if (!found) throw new Error(`no record ${id}`);
      found.record.IsDeleted = true;
      state.org.touch(found.record);
    },
    editRecord(id, values) {
      const found = state.org.get(id);
      if (!found) throw new Error(`no record ${id}`);
      recordChanges(state.org, found.object.name, found.record, values);
      Object.assign(found.record, values);
      state.org.touch(found.record);
    },
    stats: () => ({
      requests: state.stats.requests,
      apiUsed: state.apiUsed,
      dailyLimit: state.dailyLimit,
      byRoute: { ...state.stats.byRoute },
      rejectedSessions: state.stats.rejectedSessions,
      limitRejections: state.stats.limitRejections,
      tokenRefreshes: state.oauth.refreshes,
      tokenRevocations: state.oauth.revocations,
      liveRefreshTokens: state.oauth.liveRefreshTokens(),
      collectionSizes: [...state.stats.collectionSizes],
      bulkJobs: state.bulk.created,
      bulkPages: state.bulk.pagesServed,
      records: Object.fromEntries([...state.org.schema.keys()].map((name) => [name, state.org.count(name)])),
    }),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The consent page's form, submitted the way a browser submits it (see SalesforceSandbox.approveAuthorization). */
async function approveAuthorization(authorizeUrl: string, decision: 'allow' | 'deny'): Promise<URL> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`Salesforce showed an error page (${page.status}): ${html.replace(/<[^>]+>/g, ' ').trim()}`);
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    form.set(
      name ?? '',
      (value ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
    );
  form.set('decision', decision);
  const answer = await fetch(new URL('/services/oauth2/authorize', authorizeUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`Salesforce answered the consent with ${answer.status}: ${await answer.text()}`);
  return new URL(location);
}
