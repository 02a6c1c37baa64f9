import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CrmConnector, ScoreWrite } from '../connectors/connector.ts';
import { HubSpotConnector } from '../connectors/hubspot/hubspot-connector.ts';
import { ClosewiseError } from '../errors/errors.ts';
import { markScoresWritten, pendingScoreWrites, scoreTenant, trainTenantModels } from '../scoring/index.ts';
import type { Database } from '../store/schema.ts';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import { getTenant, readTenantTokens } from '../tenants/tenant-repository.ts';
import { hubSpotBudgetKey, limitHubSpotClient } from './hubspot-budget.ts';
import type { RateBudget } from './rate-budget.ts';
import type { JobHandlers } from './registry.ts';

export interface RealHandlerDeps {
  db: Kysely<Database>;
  encryptionKey: Buffer;
  /** HubSpot API base (the real one, or a sandbox). */
  hubSpotBasePath: string;
  budget: RateBudget;
}

/** Records per write-back shard a full rescoring aims for; more shards spread one portal over more workers. */
const RECORDS_PER_SHARD = 5_000;
const MAX_SHARDS = 8;

/** Stable shard of a record: the same record always lands in the same shard, whichever worker computes it. */
export function shardOf(externalId: string, shards: number): number {
  return createHash('sha1').update(externalId).digest().readUInt32BE(0) % shards;
}

async function connectorFor(deps: RealHandlerDeps, tenantId: string, signal: AbortSignal): Promise<CrmConnector> {
  const tenant = await getTenant(deps.db, tenantId);
  if (tenant.status !== 'active') throw new ClosewiseError('CONFLICT', `tenant ${tenantId} is disabled`);
  if (tenant.crm !== 'hubspot') throw new ClosewiseError('INTERNAL', `no ${tenant.crm} connector is wired into the jobs yet`);
  const tokens = await readTenantTokens(deps.db, deps.encryptionKey, tenantId);
  const connector = new HubSpotConnector({ accessToken: tokens.accessToken, basePath: deps.hubSpotBasePath, portalId: tenant.externalId });
  // Every request of this job waits for the portal's budget, shared with every other worker.
  limitHubSpotClient(connector.client, deps.budget, hubSpotBudgetKey(tenant.externalId), signal);
  return connector;
}

async function writeBack(deps: RealHandlerDeps, tenantId: string, writes: ScoreWrite[], signal: AbortSignal): Promise<void> {
  if (writes.length === 0) return;
  const connector = await connectorFor(deps, tenantId, signal);
  const result = await connector.writeScores(writes);
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
    async sync({ tenantId }, { signal }) {
      const connector = await connectorFor(deps, tenantId, signal);
      const stored = await db.selectFrom('sync_state').select(['object_type', 'cursor']).where('tenant_id', '=', tenantId).execute();
      const cursors = Object.fromEntries(stored.filter((r) => r.cursor !== null).map((r) => [r.object_type, r.cursor as string]));
      const result = await connector.sync(createStoreSyncSink(db, tenantId), { cursors });
      // The sync resolved only after the sink stored everything, so the cursors may advance now.
      const at = new Date();
      for (const [objectType, cursor] of Object.entries(result.nextCursors)) {
        await db
          .insertInto('sync_state')
          .values({ tenant_id: tenantId, object_type: objectType, cursor, last_synced_at: at })
          .onConflict((oc) => oc.columns(['tenant_id', 'object_type']).doUpdateSet({ cursor, last_synced_at: at }))
          .execute();
      }
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
      await scoreTenant(db, tenantId, { now: new Date() });
      const wanted = new Set(externalIds);
      const writes = (await pendingScoreWrites(db, tenantId)).filter((w) => w.objectType === objectType && wanted.has(w.externalId));
      await writeBack(deps, tenantId, writes, signal);
    },
  };
}
