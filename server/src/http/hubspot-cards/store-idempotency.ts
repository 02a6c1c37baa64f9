import type { Kysely } from 'kysely';
import type { Logger } from '../../logging/logger.ts';
import type { Database } from '../../store/schema.ts';
import {
  claimCardActionKey,
  completeCardActionKey,
  deleteExpiredCardActionKeysOfAllTenants,
  releaseCardActionKey,
} from '../../store/tables/card-action-keys.ts';
import { DEFAULT_KEY_TTL_MS, DEFAULT_STALE_CLAIM_MS, type IdempotencyStore, type IdempotencyTimes } from './idempotency.ts';

export interface StoreIdempotencyOptions extends IdempotencyTimes {
  logger?: Logger;
  /** How often this process sweeps expired keys, on the next claim after the interval (default hourly). */
  sweepEveryMs?: number;
}

/**
 * Card action keys in the store (`card_action_keys`, PGlite or PostgreSQL): what `closewise serve` and the demo
 * use, so a key holds across processes sharing one database and across restarts.
 */
export function createStoreIdempotencyStore(db: Kysely<Database>, options: StoreIdempotencyOptions = {}): IdempotencyStore {
  const ttlMs = options.ttlMs ?? DEFAULT_KEY_TTL_MS;
  const staleClaimMs = options.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS;
  const sweepEveryMs = options.sweepEveryMs ?? 60 * 60 * 1000;
  let nextSweep = 0;
  const sweepWhenDue = () => {
    if (Date.now() < nextSweep) return;
    nextSweep = Date.now() + sweepEveryMs;
    // In the background: a sweep must not slow down the click that happened to trigger it.
    deleteExpiredCardActionKeysOfAllTenants(db).catch((error: unknown) => {
      options.logger?.warn({ err: error }, 'sweeping expired card action keys failed; retrying at the next interval');
    });
  };
  return {
    async claim(key, { fingerprint, token }) {
      sweepWhenDue();
      return claimCardActionKey(db, key, { fingerprint, token, ttlMs, staleClaimMs });
    },
    async complete(key, token, response) {
      if (!(await completeCardActionKey(db, key, token, response))) {
        options.logger?.warn(
          { action: key.action, objectType: key.objectType },
          'a card action outlived its claim; another request took it over',
        );
      }
    },
    release: (key, token) => releaseCardActionKey(db, key, token),
  };
}
