import { HUBSPOT_REQUIRED_SCOPES } from '@closewise/contract';
import type { Router } from 'express';
import { createStoreCardDeps } from '../cards/hubspot-card-deps.ts';
import type { HubSpotOAuthConfig } from '../connectors/hubspot/oauth.ts';
import { createPortalMetadataCache } from '../connectors/hubspot/portal-metadata.ts';
import { createConnectorRegistry } from '../connectors/registry.ts';
import type { JobEngine } from '../jobs/engine.ts';
import { hubSpotBudgetKey, limitHubSpotClient } from '../jobs/hubspot-budget.ts';
import type { RateBudget } from '../jobs/rate-budget.ts';
import { createWebhookProcessor } from '../jobs/webhook-processor.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { ObjectType } from '../store/schema.ts';
import { eraseRecordForPrivacy, refreshTenantRecord } from '../use-cases/index.ts';
import { createHubSpotCardRouter } from './hubspot-cards/router.ts';
import { createStoreIdempotencyStore } from './hubspot-cards/store-idempotency.ts';
import { hubSpotOAuthRouter } from './hubspot-oauth/router.ts';
import { hubSpotWebhooksRouter } from './hubspot-webhooks/index.ts';

/**
 * The HubSpot app's HTTP surface — card API, webhooks, OAuth install — when the app's credentials are
 * configured. Without HUBSPOT_CLIENT_SECRET there is nothing to verify signatures with, so none is mounted.
 */
/** How often the webhook queue is retried without a new webhook to kick it. */
const WEBHOOK_RETRY_MS = 60_000;

export interface HubSpotApp {
  routers: { path: string; router: Router }[];
  /** Stops background work (the webhook queue's retries) and waits for the round in progress. */
  stop(): Promise<void>;
}

/**
 * `jobs` queues what the routes trigger (an install's first sync, webhook rescoring) in either engine;
 * `budget` is the per-portal API budget the webhook refreshes share with the jobs (none: only the
 * connector's own per-process limiter).
 */
export function hubSpotAppRouters(runtime: Runtime, encryptionKey: Buffer, jobs: JobEngine | null, budget?: RateBudget): HubSpotApp {
  const { config, logger } = runtime;
  const db = runtime.store.db;
  const clientSecret = config.HUBSPOT_CLIENT_SECRET;
  if (!clientSecret) return { routers: [], stop: async () => undefined };
  const basePath = config.HUBSPOT_BASE_PATH;
  const oauth: HubSpotOAuthConfig | undefined =
    config.HUBSPOT_CLIENT_ID && config.HUBSPOT_REDIRECT_URL
      ? {
          clientId: config.HUBSPOT_CLIENT_ID,
          clientSecret,
          redirectUri: config.HUBSPOT_REDIRECT_URL,
          scopes: [...HUBSPOT_REQUIRED_SCOPES],
          apiBasePath: basePath,
          authorizeUrl: config.HUBSPOT_AUTHORIZE_URL,
        }
      : undefined;
  const tier = config.HUBSPOT_TIER;
  const connectors = createConnectorRegistry({
    db,
    encryptionKey,
    hubspot: { basePath, privateAppTier: tier, ...(oauth ? { oauth } : {}) },
  });

  let stop: () => Promise<void> = async () => undefined;
  const routers: { path: string; router: Router }[] = [
    {
      path: '/',
      router: createHubSpotCardRouter({
        ...createStoreCardDeps({
          db,
          clientSecret,
          logger,
          connectors,
          ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}),
        }),
        // In the store, so a key holds across serve processes on one database and across restarts.
        idempotency: createStoreIdempotencyStore(db, { logger }),
      }),
    },
  ];

  if (config.HUBSPOT_APP_ID) {
    // Refreshes build a connector per record: the metadata cache and the shared budget outlive each of them.
    const refreshConnectors = createConnectorRegistry({
      db,
      encryptionKey,
      hubspot: {
        basePath,
        privateAppTier: tier,
        ...(oauth ? { oauth } : {}),
        metadataCache: createPortalMetadataCache(),
        ...(budget
          ? {
              limitClient: (client, portal, signal) =>
                limitHubSpotClient(client, budget, hubSpotBudgetKey(portal.portalId, portal.authMode), signal),
            }
          : {}),
      },
    });
    const processor = createWebhookProcessor({
      db,
      logger,
      refresh: (tenantId, objectType: ObjectType, id) =>
        refreshTenantRecord({ db, connectors: refreshConnectors }, tenantId, objectType, id),
      onRecordChanged: async (tenantId, objectType, id) => {
        await jobs?.enqueue('record-rescore', { tenantId, objectType, externalIds: [id] });
      },
      // The store's erasure, then the job payloads that name the record (pg-boss keeps finished jobs).
      erase: async (tenantId, objectType, id) => {
        const linked = await eraseRecordForPrivacy(db, tenantId, objectType, id, new Date());
        await jobs?.forgetRecord?.(tenantId, objectType, id);
        return linked;
      },
    });
    stop = processor.retryEvery(WEBHOOK_RETRY_MS);
    routers.push({
      path: '/webhooks/hubspot',
      router: hubSpotWebhooksRouter({
        db,
        logger,
        clientSecret,
        appId: config.HUBSPOT_APP_ID,
        ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}),
        onQueued: () => processor.kick(),
      }),
    });
  }
  if (oauth) {
    routers.push({
      path: '/oauth/hubspot',
      router: hubSpotOAuthRouter({
        db,
        logger,
        encryptionKey,
        oauth,
        // The install's chain, as docs/install-hubspot.md promises: the first sync, then training on what it read, then
        // scoring. A sync alone would leave the portal unscored until the weekly retraining.
        onInstalled: async (tenant) => {
          await jobs?.enqueue('sync', { tenantId: tenant.id, followUps: ['retrain', 'rescore'] });
        },
      }),
    });
  }
  return { routers, stop };
}
