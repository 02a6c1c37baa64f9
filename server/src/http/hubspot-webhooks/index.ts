export { enqueueEvents } from '../../store/tables/webhook-events.ts';
export { isOwnChange, objectTypeOf, type WebhookEvent, webhookBatch } from './event-schema.ts';
export { hubSpotWebhooksRouter, type WebhookRouterOptions } from './router.ts';
