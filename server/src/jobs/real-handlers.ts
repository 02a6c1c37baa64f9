import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ScoreWrite, WriteBackResult } from '../connectors/connector.ts';
import type { HubSpotConnector } from '../connectors/hubspot/hubspot-connector.ts';
import type { HubSpotOAuthConfig } from '../connectors/hubspot/oauth.ts';
import { connectorForTenant } from '../connectors/hubspot/tenant-connector.ts';
import type { SalesforceConnector } from '../connectors/salesforce/salesforce-connector.ts';
import type { SalesforceWriteBackResult } from '../connectors/salesforce/write-back.ts';
import { ClosewiseError, ConfigError } from '../errors/errors.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { markScoresWritten, pendingScoreWrites, scoreRecords, scoreTenant, trainTenantModels } from '../scoring/index.ts';
import { resolveEncryptionKey } from '../security/encryption-key.ts';
import type { Database } from '../store/schema.ts';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import { getTenant, type Tenant } from '../tenants/tenant-repository.ts';
import { hubSpotBudgetKey, limitHubSpotClient } from './hubspot-budget.ts';
import type { RateBudget } from './rate-budget.ts';
import type { JobHandlers } from './registry.ts';
import { type SalesforceJobSettings, salesforceJobConnector, syncSalesforceTenant } from './salesforce-jobs.ts';

export interface RealHandlerDeps {
  db: Kysely<Database>;
  encryptionKey: Buffer;
  /** HubSpot API base (the real one, or a sandbox). */
  hubSpotBasePath: string;
  /** For OAuth tenants, whose tokens the connector refreshes. */
  hubSpotOAuth?: HubSpotOAuthConfig;
  /** The shared per-portal budget of HubSpot's 10-second limit (Salesforce tenants do not use it). */
  budget: RateBudget;
  /** For Salesforce tenants: the connected app (token refresh) and API version; without it their jobs fail. */
  salesforce?: SalesforceJobSettings;
}

/** Records per write-back shard a full rescoring aims for; more shards spread one portal over more workers. */
const RECORDS_PER_SHARD = 5_000;
const MAX_SHARDS = 8;

/** Stable shard of a record: the same record always lands in the same shard, whichever worker computes it. */
export function shardOf(externalId: string, shards: number): number {
  return createHash('sha1').update(externalId).digest().readUInt32BE(0) % shards;
}

async function hubSpotConnectorFor(deps: RealHandlerDeps, tenant: Tenant, signal: AbortSignal): Promise<HubSpotConnector> {
  // The connector keeps its cursors, full-sync checkpoints and write log in the store, and its own
  // per-process limiter; the budget below is what makes N worker processes together stay under the limit.
  const connector = await connectorForTenant({
    db: deps.db,
    encryptionKey: deps.encryptionKey,
    tenant,
    basePath: deps.hubSpotBasePath,
    ...(deps.hubSpotOAuth ? { oauth: deps.hubSpotOAuth } : {}),
  });
  limitHubSpotClient(connector.client, deps.budget, hubSpotBudgetKey(tenant.externalId), signal);
  return connector;
}

/** The tenant's connector, chosen by its CRM. */
async function connectorFor(deps: RealHandlerDeps, tenantId: string, signal: AbortSignal): Promise<HubSpotConnector | SalesforceConnector> {
  const tenant = await getTenant(deps.db, tenantId);
  const crm: string = tenant.crm;
  switch (crm) {
    case 'hubspot':
      return hubSpotConnectorFor(deps, tenant, signal);
    case 'salesforce':
      // No RateBudget: Salesforce limits the org per rolling 24 hours, and the connector's ApiBudget stops
      // on it (see salesforceJobConnector for what that does and does not cover across worker processes).
      return salesforceJobConnector(deps, tenant);
    default:
      throw new ConfigError(`tenant ${tenant.id} has crm '${crm}', which has no connector in the jobs (known: hubspot, salesforce)`);
  }
}

async function writeBack(deps: RealHandlerDeps, tenantId: string, writes: ScoreWrite[], signal: AbortSignal): Promise<void> {
  if (writes.length === 0) return;
  const connector = await connectorFor(deps, tenantId, signal);
  const result: WriteBackResult = await connector.writeScores(writes);
  if (connector.crm === 'salesforce' && (result as SalesforceWriteBackResult).budgetExhausted) {
    // Which records made it before Salesforce's daily budget ran out is not reported, so none is marked:
    // all stay pending, and the retry (or the next rescoring) sends only those whose values still differ.
    throw new ClosewiseError(
      'RATE_LIMITED',
      `Salesforce daily API budget reached: ${(result as SalesforceWriteBackResult).deferred} of ${writes.length} score writes deferred; they stay pending`,
    );
  }
  const failed = new Set(result.failed.map((f) => f.externalId));
  await markScoresWritten(
    deps.db,
    tenantId,
    writes.filter((w) => !failed.has(w.externalId)),
    new Date(),
  );
  // Unwritten records stay pending; failing the job makes the engine retry them (with backoff), never drop them.
  if (failed.size > 0)
    throw new ClosewiseError('UPSTREAM', `${failed.size} of ${writes.length} score writes failed: ${result.failed[0]?.message ?? ''}`);
}

/** The production handlers: connectors and scoring, behind the job layer's retries, holds and budget. */
export function createRealHandlers(deps: RealHandlerDeps): JobHandlers {
  const { db } = deps;
  return {
    async sync({ tenantId }, { signal, logger }) {
      const connector = await connectorFor(deps, tenantId, signal);
      const sink = createStoreSyncSink(db, tenantId);
      if (connector.crm === 'hubspot') {
        // Full the first time (resuming an interrupted one), incremental after: the connector keeps the cursors.
        await connector.sync(sink);
        return;
      }
      // The Salesforce connector hands its cursors back; the store keeps them between runs.
      const result = await syncSalesforceTenant(db, tenantId, connector, sink);
      if (result.status.state === 'budget_exhausted') logger.warn({ status: result.status }, result.status.message);
    },

    async retrain({ tenantId, now }) {
      await trainTenantModels(db, tenantId, { now: now ? new Date(now) : new Date() });
    },

    async rescore({ tenantId, now, writeBackShards }, { enqueue }) {
      await scoreTenant(db, tenantId, { now: now ? new Date(now) : new Date() });
      const pending = (await pendingScoreWrites(db, tenantId)).length;
      const shards = writeBackShards ?? Math.min(MAX_SHARDS, Math.max(1, Math.ceil(pending / RECORDS_PER_SHARD)));
      if (pending === 0) return;
      for (let shard = 0; shard < shards; shard++) await enqueue('write-back', { tenantId, shard, shards });
    },

    async 'write-back'({ tenantId, shard, shards }, { signal }) {
      const writes = (await pendingScoreWrites(db, tenantId)).filter((w) => shardOf(w.externalId, shards) === shard);
      await writeBack(deps, tenantId, writes, signal);
    },

    // Scoring has no per-record entry point yet, so the portal is rescored and only these records written:
    // correct, but as slow as a full rescoring on a large portal (see the report of issue #8).
    async 'record-rescore'({ tenantId, objectType, externalIds }, { signal }) {
      // Only the changed records are rescored (portal-wide context such as quartiles still comes from the portal).
      await scoreRecords(db, tenantId, { now: new Date(), objectType, externalIds });
      const wanted = new Set(externalIds);
      const writes = (await pendingScoreWrites(db, tenantId)).filter((w) => w.objectType === objectType && wanted.has(w.externalId));
      await writeBack(deps, tenantId, writes, signal);
    },
  };
}

/** The production handlers for a runtime: its store, its encryption key, its HubSpot and Salesforce settings. */
export function createRuntimeHandlers(runtime: Runtime, budget: RateBudget): JobHandlers {
  const { config } = runtime;
  const oauth: HubSpotOAuthConfig | undefined =
    config.HUBSPOT_CLIENT_ID && config.HUBSPOT_CLIENT_SECRET && config.HUBSPOT_REDIRECT_URL
      ? {
          clientId: config.HUBSPOT_CLIENT_ID,
          clientSecret: config.HUBSPOT_CLIENT_SECRET,
          redirectUri: config.HUBSPOT_REDIRECT_URL,
          scopes: [],
          apiBasePath: config.HUBSPOT_BASE_PATH,
        }
      : undefined;
  // Salesforce orgs need the connected app to refresh their tokens; the instance URL is stored with the tokens.
  const salesforce: SalesforceJobSettings | undefined =
    config.SALESFORCE_CLIENT_ID && config.SALESFORCE_CLIENT_SECRET
      ? {
          oauth: {
            loginUrl: config.SALESFORCE_LOGIN_URL,
            clientId: config.SALESFORCE_CLIENT_ID,
            clientSecret: config.SALESFORCE_CLIENT_SECRET,
            // Only the authorization step uses it (as in salesforce-app-routers.ts); token refresh does not.
            redirectUri: config.SALESFORCE_REDIRECT_URL ?? `${config.PUBLIC_BASE_URL ?? 'http://127.0.0.1'}/oauth/salesforce/callback`,
          },
          apiVersion: config.SALESFORCE_API_VERSION,
        }
      : undefined;
  return createRealHandlers({
    db: runtime.store.db,
    encryptionKey: resolveEncryptionKey(config),
    hubSpotBasePath: config.HUBSPOT_BASE_PATH,
    ...(oauth ? { hubSpotOAuth: oauth } : {}),
    ...(salesforce ? { salesforce } : {}),
    budget,
  });
}
