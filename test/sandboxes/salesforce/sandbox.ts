import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { PortalData } from '../seed/portal-data.ts';
import { BulkQueryJobs } from './bulk2.ts';
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
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      accessTokenTtlMs: o.accessTokenTtlMs,
      orgId: '00D5g0000000001EAA',
      userId: '0055g0000000001AAA',
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
    loadPortal(data) {
      const loaded = loadPortalIntoOrg(data, { closewiseFieldsInstalled: o.closewiseFieldsInstalled });
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
