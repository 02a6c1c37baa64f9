export { enqueueEvents } from '../../store/tables/webhook-events.ts';
export { isOwnChange, objectTypeOf, PRIVACY_DELETION, queueTargetOf, type WebhookEvent, webhookBatch } from './event-schema.ts';
export { hubSpotWebhooksRouter, type WebhookRouterOptions } from './router.ts';
