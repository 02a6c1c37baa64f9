import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { HubSpotOAuthConfig } from '../connectors/hubspot/oauth.ts';
import { type ConnectorRegistry, createConnectorRegistry, type SalesforceSettings } from '../connectors/registry.ts';
import { ClosewiseError } from '../errors/errors.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { resolveEncryptionKey } from '../security/encryption-key.ts';
import type { Database } from '../store/schema.ts';
import {
  countPendingWrites,
  repairOutsideEdits,
  rescoreScope,
  syncTenant,
  trainTenant,
  type UseCaseDeps,
  type WriteBackOutcome,
  writeBackPending,
} from '../use-cases/index.ts';
import { hubSpotBudgetKey, limitHubSpotClient } from './hubspot-budget.ts';
import type { RateBudget } from './rate-budget.ts';
import type { JobHandlers } from './registry.ts';
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
  salesforce?: SalesforceSettings;
}

/** Records per write-back shard a full rescoring aims for; more shards spread one portal over more workers. */
const RECORDS_PER_SHARD = 5_000;
const MAX_SHARDS = 8;

/** Stable shard of a record: the same record always lands in the same shard, whichever worker computes it. */
export function shardOf(externalId: string, shards: number): number {
  return createHash('sha1').update(externalId).digest().readUInt32BE(0) % shards;
}

/** The registry the jobs build connectors with: every HubSpot client also waits for the portal's shared budget. */
export function jobConnectorRegistry(deps: RealHandlerDeps): ConnectorRegistry {
  return createConnectorRegistry({
    db: deps.db,
    encryptionKey: deps.encryptionKey,
    hubspot: {
      basePath: deps.hubSpotBasePath,
      ...(deps.hubSpotOAuth ? { oauth: deps.hubSpotOAuth } : {}),
      // The connector's limiter is per process; the budget is what makes N worker processes together stay under the limit.
      limitClient: (client, portalId, signal) => limitHubSpotClient(client, deps.budget, hubSpotBudgetKey(portalId), signal),
    },
    ...(deps.salesforce ? { salesforce: deps.salesforce } : {}),
  });
}

/** A write-back that left records unwritten fails the job, so the engine retries them (with backoff), never drops them. */
function failOnUnwritten(outcome: WriteBackOutcome | null): void {
  if (!outcome || outcome.failed.length === 0) return;
  throw new ClosewiseError(
    'UPSTREAM',
    `${outcome.failed.length} of ${outcome.writes.length} score writes failed: ${outcome.failed[0]?.message ?? ''}`,
  );
}

/**
 * The production handlers: thin calls to the use cases, behind the job layer's retries, holds and budget.
 * A rate-limited write-back rejects with RateLimitedError: the job fails and is retried, nothing is marked.
 */
export function createRealHandlers(deps: RealHandlerDeps): JobHandlers {
  const { db } = deps;
  const useCases: UseCaseDeps = { db, connectors: jobConnectorRegistry(deps) };
  return {
    async sync({ tenantId }, { signal, logger }) {
      const result = await syncTenant(useCases, tenantId, { signal });
      if (result.stoppedEarly) logger.warn({ resumeAt: result.stoppedEarly.resumeAt }, result.stoppedEarly.message);
      // What others overwrote of our properties (found by this sync or left over by a run cut short) is
      // written back in the same cycle: the CRM converges on Closewise's values every 15 minutes.
      const repair = await repairOutsideEdits(useCases, tenantId, { signal });
      if (repair.repaired > 0) logger.info({ repaired: repair.repaired }, 'restored Closewise values edited in the CRM');
      failOnUnwritten(repair);
    },

    async retrain({ tenantId, now }) {
      await trainTenant(useCases, tenantId, { now: now ? new Date(now) : new Date() });
    },

    async rescore({ tenantId, now, writeBackShards }, { enqueue }) {
      // Scored here, written by sharded write-back jobs so one portal spreads over workers.
      await rescoreScope(useCases, tenantId, { kind: 'tenant' }, { now: now ? new Date(now) : new Date(), writeBack: 'later' });
      const pending = await countPendingWrites(useCases, tenantId);
      const shards = writeBackShards ?? Math.min(MAX_SHARDS, Math.max(1, Math.ceil(pending / RECORDS_PER_SHARD)));
      if (pending === 0) return;
      for (let shard = 0; shard < shards; shard++) await enqueue('write-back', { tenantId, shard, shards });
    },

    async 'write-back'({ tenantId, shard, shards }, { signal }) {
      failOnUnwritten(await writeBackPending(useCases, tenantId, { filter: (w) => shardOf(w.externalId, shards) === shard, signal }));
    },

    // Webhook-driven: only the changed records are rescored and written, from the portal context the last full
    // run stored and the records' own rows (scoring/score-scope.ts), so the cost does not grow with the portal.
    async 'record-rescore'({ tenantId, objectType, externalIds }, { signal }) {
      const outcome = await rescoreScope(
        useCases,
        tenantId,
        { kind: 'records', objectType, externalIds },
        { now: new Date(), writtenAt: new Date(), signal },
      );
      failOnUnwritten(outcome.writeBack);
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
  const salesforce: SalesforceSettings | undefined =
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
