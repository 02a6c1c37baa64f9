import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { HubSpotTier } from '../connectors/hubspot/api-limits.ts';
import type { HubSpotOAuthConfig } from '../connectors/hubspot/oauth.ts';
import { type ConnectorRegistry, createConnectorRegistry, type SalesforceSettings } from '../connectors/registry.ts';
import { ClosewiseError } from '../errors/errors.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { resolveEncryptionKey } from '../security/encryption-key.ts';
import type { Database } from '../store/schema.ts';
import { deleteCrmApiPause, selectCrmApiPause, upsertCrmApiPause } from '../store/tables/crm-api-pauses.ts';
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
import type { Enqueue, JobHandlers } from './registry.ts';
export interface RealHandlerDeps {
  db: Kysely<Database>;
  encryptionKey: Buffer;
  /** HubSpot API base (the real one, or a sandbox). */
  hubSpotBasePath: string;
  /** For OAuth tenants, whose tokens the connector refreshes. */
  hubSpotOAuth?: HubSpotOAuthConfig;
  /** The private-app portal's tier (HUBSPOT_TIER): its connector's limits follow it. */
  hubSpotPrivateAppTier?: HubSpotTier;
  /** The clock a daily-limit pause is compared with (tests move it to "the next day"). */
  now?: () => number;
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
      ...(deps.hubSpotPrivateAppTier ? { privateAppTier: deps.hubSpotPrivateAppTier } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      // The connector's limiter is per process; the budget is what makes N worker processes together stay under the limit.
      limitClient: (client, portal, signal) =>
        limitHubSpotClient(client, deps.budget, hubSpotBudgetKey(portal.portalId, portal.authMode), signal),
    },
    ...(deps.salesforce ? { salesforce: deps.salesforce } : {}),
  });
}

/** The first of `followUps` (an install's chain: sync, retrain, rescore), carrying the rest. */
async function queueNext(enqueue: Enqueue, tenantId: string, followUps: ('retrain' | 'rescore')[] | undefined): Promise<void> {
  const [next, ...rest] = followUps ?? [];
  if (next === 'retrain') await enqueue('retrain', { tenantId, ...(rest.length ? { followUps: rest } : {}) });
  else if (next === 'rescore') await enqueue('rescore', { tenantId });
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
    async sync({ tenantId, followUps }, { signal, logger, enqueue }) {
      const now = deps.now ?? Date.now;
      const pause = await selectCrmApiPause(db, tenantId);
      if (pause && pause.resumeAt.getTime() > now()) {
        // During the pause the CRM would refuse every call: this run (a schedule tick, a timer a moment early)
        // hands over to one at the reset instead; equal ones coalesce.
        logger.info({ resumeAt: pause.resumeAt }, `sync deferred: ${pause.reason}`);
        await enqueue('sync', { tenantId, ...(followUps ? { followUps } : {}) }, { startAfter: pause.resumeAt });
        return;
      }
      const result = await syncTenant(useCases, tenantId, { signal });
      if (result.stoppedEarly) {
        // The cursors are stored; the run resumes from them when the CRM's day starts over, not at the next tick.
        const { resumeAt, message } = result.stoppedEarly;
        await upsertCrmApiPause(db, { tenantId, resumeAt, reason: message }, new Date(now()));
        await enqueue('sync', { tenantId, ...(followUps ? { followUps } : {}) }, { startAfter: resumeAt });
        logger.warn({ resumeAt }, message);
        return;
      }
      if (pause) await deleteCrmApiPause(db, tenantId);
      // What others overwrote of our properties (found by this sync or left over by a run cut short) is
      // written back in the same cycle: the CRM converges on Closewise's values every 15 minutes.
      const repair = await repairOutsideEdits(useCases, tenantId, { signal });
      if (repair.repaired > 0) logger.info({ repaired: repair.repaired }, 'restored Closewise values edited in the CRM');
      failOnUnwritten(repair);
      await queueNext(enqueue, tenantId, followUps);
    },

    async retrain({ tenantId, now, followUps }, { enqueue }) {
      await trainTenant(useCases, tenantId, { now: now ? new Date(now) : new Date() });
      await queueNext(enqueue, tenantId, followUps);
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
export function createRuntimeHandlers(runtime: Runtime, budget: RateBudget, clock?: { now: () => number }): JobHandlers {
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
    hubSpotPrivateAppTier: config.HUBSPOT_TIER,
    ...(oauth ? { hubSpotOAuth: oauth } : {}),
    ...(salesforce ? { salesforce } : {}),
    ...(clock ? { now: clock.now } : {}),
    budget,
  });
}
