import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PortalData } from '../seed/portal-data.ts';
import { associate, dissociate } from './association-changes.ts';
import { TokenRegistry } from './auth.ts';
import type { SandboxContext } from './context.ts';
import { FaultInjector, type FaultOptions } from './faults.ts';
import { gdprDelete, merge } from './lifecycle.ts';
import { type LoadResult, loadPortal } from './load-portal.ts';
import { OAuthServer } from './oauth.ts';
import { type ObjectTypeName, objectType } from './object-types.ts';
import { type Clock, Portal } from './portal.ts';
import { type PortalTier, type RateLimitOptions, rateLimiter } from './rate-limit.ts';
import { archiveRecord, checkUniqueEmail, createRecord, updateRecord, validateProperties, type WriteSource } from './records.ts';
import { scopeCheck } from './scopes.ts';
import { buildApp } from './server.ts';
import { type SandboxStats, StatsCollector } from './stats.ts';
import { type DeliveryRecord, WebhookDispatcher, type WebhookSubscription } from './webhooks.ts';

export type { FaultOptions } from './faults.ts';
export type { LoadResult } from './load-portal.ts';
export type { PortalTier, RateLimitOptions } from './rate-limit.ts';
export { localDate, OAUTH_APP_TEN_SECONDLY, PRIVATE_APP_LIMITS } from './rate-limit.ts';
export type { WriteSource } from './records.ts';
export type { SandboxStats } from './stats.ts';
export type { DeliveryRecord, WebhookEvent, WebhookSubscription } from './webhooks.ts';
export { signV3 } from './webhooks.ts';

export interface HubSpotSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  portalId?: number;
  /** The private-app token the sandbox accepts as Bearer; random `pat-na1-…` by default. */
  privateAppToken?: string;
  /** Time source (epoch ms) for token expiry and rate windows. Defaults to Date.now. */
  clock?: Clock;
  /**
   * Rate limits; defaults are HubSpot's per token type: a marketplace (OAuth) app 110 / 10 s, a private app its
   * tier's (100 or 190 / 10 s) plus the account's daily quota; search 5 / s. `false` turns them off.
   */
  limits?: RateLimitOptions | false;
  /** The portal's subscription tier, which sets a private app's limits (default free: the strictest). */
  tier?: PortalTier;
  /** The account's time-zone setting (IANA; default US/Eastern): account info reports it, the daily quota resets at its midnight. */
  timeZone?: string;
  faults?: FaultOptions;
  /** Search lags writes by this much, as HubSpot's index does (default 0: immediately consistent). */
  searchIndexDelayMs?: number;
  /** 403 MISSING_SCOPES for OAuth tokens lacking crm.objects/schemas scopes of contacts, companies, deals (default true). */
  enforceScopes?: boolean;
  /**
   * The marketplace app. Defaults: random client id/secret, app id 1000001, redirect
   * http://localhost:3000/oauth/hubspot/callback, required scopes `oauth` only, no optional scopes. The consent
   * page (GET /oauth/authorize) refuses an install URL whose client id, redirect URI or scopes differ from these.
   */
  oauth?: {
    clientId?: string;
    clientSecret?: string;
    appId?: string;
    redirectUris?: string[];
    accessTokenTtlSeconds?: number;
    requiredScopes?: string[];
    optionalScopes?: string[];
  };
  /** Webhook delivery to the app's target URL (signed with the app's client secret). */
  webhooks?: {
    targetUrl: string;
    subscriptions: WebhookSubscription[];
    maxConcurrentRequests?: number;
    batchWindowMs?: number;
    maxEventsPerRequest?: number;
    maxRetries?: number;
    retryDelayMs?: number;
    timeoutMs?: number;
  };
}

export interface HubSpotSandbox {
  /** http://127.0.0.1:PORT, to pass as the SDK's basePath. */
  url: string;
  portalId: number;
  privateAppToken: string;
  tier: PortalTier;
  timeZone: string;
  oauth: {
    clientId: string;
    clientSecret: string;
    appId: string;
    redirectUris: string[];
    requiredScopes: string[];
    optionalScopes: string[];
    /** Where an install URL sends the admin: HubSpot's consent page, as this sandbox serves it. */
    authorizeUrl: string;
    /** Simulates the user approving the install (no consent page, no scope check); returns the authorization code. */
    authorize(input: { redirectUri: string; scopes?: string[] }): string;
    /** Simulates an uninstall: refresh tokens answer invalid_grant, access tokens 401. */
    uninstall(): void;
  };
  faults: FaultInjector;
  webhooks: {
    /** Waits until every queued event was delivered or gave up retrying. */
    drain(): Promise<void>;
    deliveries(): readonly DeliveryRecord[];
  };
  loadPortal(data: PortalData): LoadResult;
  /**
   * A change made in HubSpot by someone other than the API caller: by default a person in HubSpot's UI
   * (`CRM_UI`, `userId:…`); pass `source` for a workflow (`AUTOMATION_PLATFORM`), an import (`IMPORT`) or
   * another app (`INTEGRATION` with its app id). Recorded in property history with that source and fires
   * webhooks like any write.
   */
  simulateUserUpdate(type: ObjectTypeName, id: string, properties: Record<string, string>, source?: WriteSource): void;
  /** API update inputs received per record id of a type (batch and single updates, no-ops included). */
  apiWritesPerRecord(type: ObjectTypeName): Map<string, number>;
  /** Times each record of a type was answered to an API read (list pages, batch reads, single gets), per id. */
  apiReadsPerRecord(type: ObjectTypeName): Map<string, number>;
  simulateUserCreate(type: ObjectTypeName, properties: Record<string, string>): string;
  /** A person deleting a record in HubSpot's UI: it is archived (listed only with `archived=true`) and deletion events fire. */
  simulateUserArchive(type: ObjectTypeName, id: string): void;
  /** A person's GDPR delete of a contact (what `POST /crm/v3/objects/contacts/gdpr-delete` does), with its events. */
  simulateUserGdprDelete(id: string): void;
  /** A person merging `mergedId` into `primaryId` (what `POST /crm/v3/objects/{type}/merge` does), with its events. */
  simulateUserMerge(type: ObjectTypeName, primaryId: string, mergedId: string): void;
  /** A person adding (or removing) the default association between two records, with both ends' events. */
  simulateUserAssociate(fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName, toId: string): void;
  simulateUserDissociate(fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName, toId: string): void;
  stats(): SandboxStats;
  resetStats(): void;
  stop(): Promise<void>;
}

const USER_SOURCE: WriteSource = { sourceType: 'CRM_UI', sourceId: 'userId:7000001' };

/** Starts a HubSpot-compatible sandbox portal on 127.0.0.1. */
export async function startHubSpotSandbox(options: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const clock = options.clock ?? Date.now;
  const portalId = options.portalId ?? 24_000_000 + Math.floor(Math.random() * 1_000_000);
  const privateAppToken = options.privateAppToken ?? `pat-na1-${randomBytes(16).toString('hex')}`;
  const app = {
    clientId: options.oauth?.clientId ?? randomBytes(16).toString('hex'),
    clientSecret: options.oauth?.clientSecret ?? randomBytes(16).toString('hex'),
    appId: options.oauth?.appId ?? '1000001',
    redirectUris: options.oauth?.redirectUris ?? ['http://localhost:3000/oauth/hubspot/callback'],
    ...(options.oauth?.accessTokenTtlSeconds ? { accessTokenTtlSeconds: options.oauth.accessTokenTtlSeconds } : {}),
    requiredScopes: options.oauth?.requiredScopes ?? ['oauth'],
    optionalScopes: options.oauth?.optionalScopes ?? [],
  };
  const portal = new Portal(portalId, clock);
  portal.searchIndexDelayMs = options.searchIndexDelayMs ?? 0;
  const tier = options.tier ?? 'free';
  portal.timeZone = options.timeZone ?? 'US/Eastern';
  const tokens = new TokenRegistry();
  // A private app is an app too: its writes carry INTEGRATION with its app id.
  tokens.add({ token: privateAppToken, portalId, appId: app.appId, kind: 'private_app', scopes: [] });
  const oauth = new OAuthServer(app, portalId, tokens, clock);
  const stats = new StatsCollector();
  const faults = new FaultInjector(options.faults);
  const dispatcher = options.webhooks
    ? new WebhookDispatcher({ ...options.webhooks, clientSecret: app.clientSecret, appId: app.appId }, portalId)
    : undefined;
  const ctx: SandboxContext = { portal, onChanges: (changes) => dispatcher?.enqueue(changes) };
  const expressApp = buildApp({
    ctx,
    tokens,
    stats,
    before: [faults.middleware()],
    // Scopes before limits: HubSpot refuses an unscoped call without spending the app's budget (unconfirmed).
    afterAuth: [
      ...(options.enforceScopes === false ? [] : [scopeCheck()]),
      ...(options.limits === false ? [] : [rateLimiter(options.limits ?? {}, { tier, timeZone: portal.timeZone }, clock)]),
    ],
    publicRouters: [oauth.router()],
  });

  const server: Server = await new Promise((resolve, reject) => {
    // Headers up to 64 KB (Node's default is 16 KB, answered 431) so an over-long URL meets HubSpot's 414 (url-limit.ts).
    const s = createServer({ maxHeaderSize: 64 * 1024 }, expressApp);
    s.once('error', reject);
    s.listen(options.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  // Long keep-alive, as HubSpot's edge has: a short one races clients reusing sockets (spurious ECONNRESETs).
  // stop() closes every connection itself.
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    portalId,
    privateAppToken,
    tier,
    timeZone: portal.timeZone,
    oauth: {
      ...app,
      authorizeUrl: `http://127.0.0.1:${port}/oauth/authorize`,
      authorize: (input) => oauth.authorize(input),
      uninstall: () => oauth.revokeAll(),
    },
    faults,
    webhooks: {
      drain: async () => dispatcher?.drain(),
      deliveries: () => dispatcher?.log ?? [],
    },
    loadPortal: (data) => loadPortal(portal, data),
    simulateUserUpdate: (type, id, properties, source = USER_SOURCE) => {
      const info = objectType(type);
      const record = portal.objects[type].get(Number(id));
      if (!record || record.archived) throw new Error(`${type} ${id} does not exist`);
      ctx.onChanges(updateRecord(portal, info, record, validateProperties(portal, info, properties), source));
    },
    apiWritesPerRecord: (type) => {
      const out = new Map<string, number>();
      for (const [key, n] of portal.apiWrites) if (key.startsWith(`${type}/`)) out.set(key.slice(type.length + 1), n);
      return out;
    },
    apiReadsPerRecord: (type) => {
      const out = new Map<string, number>();
      for (const [key, n] of portal.apiReads) if (key.startsWith(`${type}/`)) out.set(key.slice(type.length + 1), n);
      return out;
    },
    simulateUserCreate: (type, properties) => {
      const info = objectType(type);
      const props = validateProperties(portal, info, properties, 'create');
      checkUniqueEmail(portal, info, props);
      const { record, changes } = createRecord(portal, info, props, USER_SOURCE);
      ctx.onChanges(changes);
      return String(record.id);
    },
    simulateUserArchive: (type, id) => {
      const record = portal.objects[type].get(Number(id));
      if (!record || record.archived) throw new Error(`${type} ${id} does not exist`);
      ctx.onChanges(archiveRecord(portal, objectType(type), record, USER_SOURCE));
    },
    simulateUserGdprDelete: (id) => {
      const record = portal.objects.contacts.get(Number(id));
      if (!record) throw new Error(`contact ${id} does not exist`);
      ctx.onChanges(gdprDelete(ctx, record, USER_SOURCE));
    },
    simulateUserMerge: (type, primaryId, mergedId) => {
      const primary = portal.objects[type].get(Number(primaryId));
      const merged = portal.objects[type].get(Number(mergedId));
      if (!primary || primary.archived || !merged || merged.archived || primary === merged)
        throw new Error(`cannot merge ${type} ${mergedId} into ${primaryId}`);
      ctx.onChanges(merge(ctx, objectType(type), primary, merged, USER_SOURCE));
    },
    simulateUserAssociate: (fromType, fromId, toType, toId) => {
      ctx.onChanges(associate(ctx, objectType(fromType), Number(fromId), objectType(toType), Number(toId), USER_SOURCE));
    },
    simulateUserDissociate: (fromType, fromId, toType, toId) => {
      ctx.onChanges(dissociate(ctx, objectType(fromType), Number(fromId), objectType(toType), Number(toId), USER_SOURCE));
    },
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        dispatcher?.stop();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
