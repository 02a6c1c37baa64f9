export type { HubSpotCardApiDeps } from './deps.ts';
export { type CardActionKey, createIdempotentRunner, createMemoryIdempotencyStore, type IdempotencyStore } from './idempotency.ts';
export { CARD_API_PREFIX, createHubSpotCardRouter } from './router.ts';
export { createStoreIdempotencyStore } from './store-idempotency.ts';
