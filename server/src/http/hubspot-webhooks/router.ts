import express, { type Router } from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from '../../logging/logger.ts';
import type { Database, ObjectType } from '../../store/schema.ts';
import { selectErasedIds } from '../../store/tables/erased-records.ts';
import { enqueueEvents, type QueuedEvent } from '../../store/tables/webhook-events.ts';
import { findTenant } from '../../tenants/tenant-repository.ts';
import { asyncRoute } from '../async-route.ts';
import { signedJsonBody, verifySignedRequest } from '../signed-request.ts';
import { isOwnChange, parseWebhookEvents, queueTargetOf, type WebhookEvent, webhookEnvelope } from './event-schema.ts';

export interface WebhookRouterOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** The app's client secret: the key of HubSpot's v3 signature. */
  clientSecret: string;
  /** Our HubSpot app id: events whose sourceId is this were caused by our own writes. */
  appId: string;
  /** The public origin HubSpot calls (it signs the full URL); derived from the request when absent. */
  publicBaseUrl?: string;
  now?: () => number;
  /** Called after events were queued and HubSpot answered, to wake the processor. */
  onQueued?: () => void;
}

/**
 * POST / — HubSpot's webhook target. Verifies the v3 signature and timestamp before reading anything
 * (401, nothing processed), validates the batch (400) and each event (invalid ones are skipped), queues what concerns an installed portal durably,
 * and answers 200 at once; the processor does the slow part. Events for unknown portals are acknowledged
 * (HubSpot would retry them for a day otherwise) and logged by portal id only.
 */
export function hubSpotWebhooksRouter(options: WebhookRouterOptions): Router {
  const router = express.Router();
  const now = options.now ?? Date.now;
  router.post(
    '/',
    verifySignedRequest({ clientSecret: options.clientSecret, publicBaseUrl: options.publicBaseUrl, now }),
    asyncRoute(async (_req, res) => {
      // A body that is not a batch is 400 (HubSpot retries it; a fixed sender will resend); a bad event inside a
      // batch is acknowledged and skipped, so its batch-mates are queued and HubSpot does not retry them all.
      // Text HubSpot relays from a portal (a value someone typed) may hold NUL or lone surrogates, which
      // PostgreSQL cannot store: stripped, since refusing would only make HubSpot resend the same batch.
      const { events, invalid } = parseWebhookEvents(signedJsonBody(res, webhookEnvelope, 'strip'));
      if (invalid > 0) options.logger.warn({ invalid, events: events.length + invalid }, 'invalid webhook events skipped');
      const { queued, ignored, unknownPortals } = await queueBatch(options, events);
      if (unknownPortals.length > 0) {
        options.logger.warn(
          { portalIds: unknownPortals, events: events.length },
          'webhook events for portals without an active install ignored',
        );
      }
      // Wake the processor only after HubSpot has its answer: the slow part never delays the 200.
      if (queued > 0 && options.onQueued) res.once('close', options.onQueued);
      return { status: 200, body: { received: events.length + invalid, queued, ignored: ignored + invalid, invalid } };
    }),
  );
  return router;
}

async function queueBatch(
  options: WebhookRouterOptions,
  events: WebhookEvent[],
): Promise<{ queued: number; ignored: number; unknownPortals: string[] }> {
  const tenants = new Map<string, string | null>();
  for (const portalId of new Set(events.map((e) => e.portalId))) {
    const tenant = await findTenant(options.db, 'hubspot', portalId);
    tenants.set(portalId, tenant && tenant.status === 'active' ? tenant.id : null);
  }
  const candidates: QueuedEvent[] = [];
  for (const event of events) {
    const tenantId = tenants.get(event.portalId);
    const target = queueTargetOf(event);
    if (!tenantId || !target || isOwnChange(event, options.appId)) continue;
    candidates.push({
      tenantId,
      subscriptionId: event.subscriptionId,
      eventId: event.eventId,
      occurredAt: event.occurredAt,
      objectType: target.objectType,
      objectId: target.objectId,
      subscriptionType: event.subscriptionType,
      propertyName: event.propertyName ?? null,
      relatedIds: target.relatedIds,
    });
  }
  const queued = await enqueueEvents(options.db, await withoutErasedRecords(options.db, candidates));
  return {
    queued,
    ignored: events.length - queued,
    unknownPortals: [...tenants].filter(([, tenantId]) => tenantId === null).map(([portalId]) => portalId),
  };
}

/**
 * Events about a record erased for privacy are acknowledged and dropped: queueing them would store its id
 * again (HubSpot sends the ordinary deletion too, and may retry either).
 */
async function withoutErasedRecords(db: Kysely<Database>, events: QueuedEvent[]): Promise<QueuedEvent[]> {
  const idsByKey = new Map<string, { tenantId: string; objectType: ObjectType; ids: string[] }>();
  for (const e of events) {
    const key = `${e.tenantId}/${e.objectType}`;
    const group = idsByKey.get(key) ?? { tenantId: e.tenantId, objectType: e.objectType, ids: [] };
    group.ids.push(e.objectId);
    idsByKey.set(key, group);
  }
  const erased = new Set<string>();
  for (const [key, group] of idsByKey)
    for (const id of await selectErasedIds(db, group.tenantId, group.objectType, group.ids)) erased.add(`${key}/${id}`);
  return erased.size === 0 ? events : events.filter((e) => !erased.has(`${e.tenantId}/${e.objectType}/${e.objectId}`));
}
