import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';
import express, { type Router } from 'express';
import type { Kysely } from 'kysely';
import { verifySignatureV3 } from '../../connectors/hubspot/signature.ts';
import { BadInputError, UnauthorizedError } from '../../errors/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Database } from '../../store/schema.ts';
import { findTenant } from '../../tenants/tenant-repository.ts';
import { isOwnChange, objectTypeOf, type WebhookEvent, webhookBatch } from './event-schema.ts';
import { enqueueEvents, type QueuedEvent } from './webhook-queue.ts';

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

/** Webhook batches are ≤100 small events; anything near this is not HubSpot. */
const BODY_LIMIT = '1mb';

/**
 * POST / — HubSpot's webhook target. Verifies the v3 signature and timestamp before reading anything
 * (401, nothing processed), validates the batch (400), queues what concerns an installed portal durably,
 * and answers 200 at once; the processor does the slow part. Events for unknown portals are acknowledged
 * (HubSpot would retry them for a day otherwise) and logged by portal id only.
 */
export function hubSpotWebhooksRouter(options: WebhookRouterOptions): Router {
  const router = express.Router();
  const now = options.now ?? Date.now;
  router.post('/', express.raw({ type: () => true, limit: BODY_LIMIT }), async (req, res, next) => {
    try {
      const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const origin = options.publicBaseUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host') ?? ''}`;
      const verdict = verifySignatureV3(
        {
          method: req.method,
          uri: `${origin}${req.originalUrl}`,
          rawBody,
          signature: req.get(SIGNATURE_HEADER),
          timestamp: req.get(TIMESTAMP_HEADER),
        },
        { clientSecret: options.clientSecret, now: now() },
      );
      if (!verdict.valid) throw new UnauthorizedError(`webhook signature rejected (${verdict.reason})`);

      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new BadInputError('webhook body is not valid JSON');
      }
      const events = webhookBatch.parse(json);
      const { queued, ignored, unknownPortals } = await queueBatch(options, events);
      if (unknownPortals.length > 0) {
        options.logger.warn(
          { portalIds: unknownPortals, events: events.length },
          'webhook events for portals without an active install ignored',
        );
      }
      res.status(200).json({ received: events.length, queued, ignored });
      if (queued > 0) options.onQueued?.();
    } catch (error) {
      next(error);
    }
  });
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
  const toQueue: QueuedEvent[] = [];
  for (const event of events) {
    const tenantId = tenants.get(event.portalId);
    const objectType = objectTypeOf(event);
    if (!tenantId || !objectType || isOwnChange(event, options.appId)) continue;
    toQueue.push({
      tenantId,
      subscriptionId: event.subscriptionId,
      eventId: event.eventId,
      occurredAt: event.occurredAt,
      objectType,
      objectId: event.objectId,
      subscriptionType: event.subscriptionType,
      propertyName: event.propertyName ?? null,
    });
  }
  const queued = await enqueueEvents(options.db, toQueue);
  return {
    queued,
    ignored: events.length - queued,
    unknownPortals: [...tenants].filter(([, tenantId]) => tenantId === null).map(([portalId]) => portalId),
  };
}
