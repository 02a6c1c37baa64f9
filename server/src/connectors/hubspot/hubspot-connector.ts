import type { Client } from '@hubspot/api-client';
import type { Kysely } from 'kysely';
import type { Database, ObjectType } from '../../store/schema.ts';
import type {
  CreatedCrmTask,
  CrmConnector,
  InstallReport,
  NewCrmTask,
  ScoreWrite,
  SyncOptions,
  SyncResult,
  SyncSink,
} from '../connector.ts';
import { type HubSpotAccountDetails, readAccountDetails } from './account-details.ts';
import { hubSpotApiLimits, plannedPortalLimits } from './api-limits.ts';
import { createHubSpotTask } from './create-task.ts';
import { atHubSpotEdge } from './edge.ts';
import { type ApiCounters, HubSpotApi, type RetryPolicy } from './hubspot-api.ts';
import { createHubSpotClient } from './hubspot-client.ts';
import { installClosewiseProperties } from './install.ts';
import { ownerIdOfUser } from './owner-of-user.ts';
import { createPortalMetadataCache, type PortalMetadataCache } from './portal-metadata.ts';
import { DEFAULT_PORTAL_LIMITS, limitersForPortal, type PortalLimits } from './rate-limiter.ts';
import { refreshRecord } from './refresh-record.ts';
import { syncMetadata, syncPortal } from './sync.ts';
import { staticTokenProvider, type TokenProvider } from './token-provider.ts';
import { type HubSpotWriteBackResult, writeScoresToHubSpot } from './write-back.ts';
import { memoryWriteLog, storeWriteLog, type WriteLog } from './write-log.ts';

export interface HubSpotConnectorOptions {
  /** https://api.hubapi.com in production; a local sandbox's URL in tests and the demo. */
  basePath: string;
  portalId: string;
  /** Private-app mode: a token that never expires. OAuth mode passes `tokens` instead. */
  accessToken?: string;
  tokens?: TokenProvider;
  /** With a store, the write log survives restarts (sync cursors are the caller's: see `sync`). */
  store?: { db: Kysely<Database>; tenantId: string };
  /**
   * Client-side limits for this portal. Defaults stay under HubSpot's limits: a marketplace app's with `tokens`
   * (OAuth), a Free/Starter private app's (the strictest) with `accessToken`.
   */
  limits?: PortalLimits;
  /** The account's time zone (IANA; account info reports it): a spent daily limit resumes at its midnight. */
  timeZone?: string;
  /** The clock a spent daily limit's reset is computed from. */
  now?: () => number;
  retry?: RetryPolicy;
  /** Shared by the connectors of one process (webhook refreshes build one per record); one of its own by default. */
  metadataCache?: PortalMetadataCache;
  /** How often incremental syncs read HubSpot's archived lists (DEFAULT_DELETION_SWEEP_MS, incremental-sync.ts). */
  deletionSweepMs?: number;
}

/** A private app on the strictest tier (Free/Starter): what a connector with only a token plans for. */
const PRIVATE_APP_LIMITS = plannedPortalLimits(hubSpotApiLimits('private_app', 'free'));

/** How long pipelines and custom-field metadata are reused by webhook refreshes before being read again. */
const METADATA_TTL_MS = 10 * 60 * 1000;

/**
 * Closewise in one HubSpot portal, through the official SDK. Every method's HubSpot failures leave it typed
 * (edge.ts), after the portal's limiter and retries had their turn.
 */
export class HubSpotConnector implements CrmConnector {
  readonly crm = 'hubspot' as const;
  readonly api: HubSpotApi;
  readonly writeLog: WriteLog;
  private metadata: PortalMetadataCache;
  private readonly ownsMetadata: boolean;
  private readonly deletionSweepMs: number | undefined;

  constructor(options: HubSpotConnectorOptions) {
    const tokens = options.tokens ?? (options.accessToken ? staticTokenProvider(options.accessToken) : undefined);
    if (!tokens) throw new TypeError('HubSpotConnector needs an accessToken (private app) or a token provider (OAuth)');
    this.api = new HubSpotApi({
      client: createHubSpotClient({ accessToken: options.accessToken ?? '', basePath: options.basePath }),
      portalId: options.portalId,
      limiters: limitersForPortal(options.portalId, options.limits ?? (options.accessToken ? PRIVATE_APP_LIMITS : DEFAULT_PORTAL_LIMITS)),
      tokens,
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    });
    this.writeLog = options.store ? storeWriteLog(options.store.db, options.store.tenantId) : memoryWriteLog();
    this.ownsMetadata = !options.metadataCache;
    this.metadata = options.metadataCache ?? createPortalMetadataCache(METADATA_TTL_MS);
    this.deletionSweepMs = options.deletionSweepMs;
  }

  /** The SDK client (its token is kept current by `api`); prefer `api.call` so calls are limited and retried. */
  get client(): Client {
    return this.api.client;
  }

  get counters(): ApiCounters {
    return this.api.counters;
  }

  /** Creates the `closewise` group and properties where missing; reports what was created and what was there. */
  install(): Promise<InstallReport> {
    return atHubSpotEdge(`installing Closewise in HubSpot portal ${this.api.portalId}`, () => installClosewiseProperties(this.api));
  }

  /** The account the token belongs to (portal id, time zone): how a private-app install finds its portal. */
  accountDetails(): Promise<HubSpotAccountDetails> {
    return atHubSpotEdge('reading the HubSpot account of the access token', () => readAccountDetails(this.api));
  }

  /**
   * Full sync without cursors (or to finish an interrupted one), incremental after. Progress is reported
   * through `sink.checkpoint` and the result's `nextCursors`; the caller stores them and passes them back.
   */
  async sync(sink: SyncSink, options: SyncOptions & { full?: boolean } = {}): Promise<SyncResult> {
    const result = await atHubSpotEdge(`syncing HubSpot portal ${this.api.portalId}`, () =>
      syncPortal(this.api, sink, {
        ...(options.cursors ? { cursors: options.cursors } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.full ? { full: true } : {}),
        ...(this.deletionSweepMs === undefined ? {} : { deletionSweepMs: this.deletionSweepMs }),
        writeLog: this.writeLog,
      }),
    );
    // The sync just stored fresh metadata; a cache of this connector's own starts over (a shared one keeps its TTL).
    if (this.ownsMetadata) this.metadata = createPortalMetadataCache(METADATA_TTL_MS);
    return result;
  }

  writeScores(writes: ScoreWrite[], onProgress?: (done: number) => void): Promise<HubSpotWriteBackResult> {
    return atHubSpotEdge(`writing scores to HubSpot portal ${this.api.portalId}`, () =>
      writeScoresToHubSpot(this.api, this.writeLog, writes, onProgress),
    );
  }

  /** Webhook-driven refresh of one record; false when HubSpot no longer has it. */
  refreshRecord(sink: SyncSink, objectType: ObjectType, id: string): Promise<boolean> {
    return atHubSpotEdge(`reading ${objectType} ${id} from HubSpot portal ${this.api.portalId}`, async () => {
      const metadata = await this.metadata.get(this.api.portalId, () => syncMetadata(this.api, sink));
      return refreshRecord(this.api, sink, metadata, objectType, id);
    });
  }

  /** A not-started task on the record, owned by the requesting user's owner record; through the portal's limiter and retries. */
  createTask(objectType: ObjectType, id: string, task: NewCrmTask): Promise<CreatedCrmTask> {
    return atHubSpotEdge(`creating a task on ${objectType} ${id} in HubSpot portal ${this.api.portalId}`, async () => {
      const userId = task.requestedByUserId;
      const ownerId = userId === undefined ? null : await this.api.call('standard', (client) => ownerIdOfUser(client, userId));
      const created = await this.api.call('standard', (client) =>
        createHubSpotTask(client, objectType, id, {
          title: task.title,
          dueDate: task.dueDate,
          ...(task.body ? { body: task.body } : {}),
          ...(ownerId ? { ownerId } : {}),
        }),
      );
      return { id: created, ownerId };
    });
  }
}

/** The one factory of HubSpot connectors; called by connectors/registry.ts (tests may build one directly). */
export function createHubSpotConnector(options: HubSpotConnectorOptions): HubSpotConnector {
  return new HubSpotConnector(options);
}
