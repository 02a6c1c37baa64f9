export type { HubSpotCardApiDeps } from './deps.ts';
export { createIdempotentRunner, createMemoryIdempotencyStore, type IdempotencyStore, type StoredResult } from './idempotency.ts';
export { CARD_API_PREFIX, createHubSpotCardRouter } from './router.ts';
