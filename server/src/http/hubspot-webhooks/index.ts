export { isOwnChange, objectTypeOf, type WebhookEvent, webhookBatch } from './event-schema.ts';
export { createWebhookProcessor, type WebhookProcessor, type WebhookProcessorOptions } from './processor.ts';
export { hubSpotWebhooksRouter, type WebhookRouterOptions } from './router.ts';
export { enqueueEvents } from './webhook-queue.ts';
