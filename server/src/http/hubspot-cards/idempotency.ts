import { randomUUID } from 'node:crypto';
import { ClosewiseError } from '../../errors/errors.ts';
import type { CardActionClaim, CardActionKey, StoredActionResponse } from '../../store/tables/card-action-keys.ts';

/**
 * Replay protection for card actions. hubspot.fetch retries once on a 5xx or a dropped connection, a load
 * balancer may send the retry to another process, a deploy restarts processes, and a rep may click again
 * after a timeout: the same key must yield the same result, never a second task.
 */
export type { CardActionKey } from '../../store/tables/card-action-keys.ts';

/**
 * Where keys are claimed and responses kept. A claim is insert-first: exactly one of several racing callers
 * gets `claimed` (and must then `complete` or `release` with its token); the others see what holds the key.
 */
export interface IdempotencyStore {
  claim(key: CardActionKey, claim: { fingerprint: string; token: string }): Promise<CardActionClaim>;
  complete(key: CardActionKey, token: string, response: StoredActionResponse): Promise<void>;
  release(key: CardActionKey, token: string): Promise<void>;
}

export interface IdempotencyTimes {
  /** How long a key and its response are kept (default 24 h). */
  ttlMs?: number;
  /** A claim older than this without a response belongs to a process that died mid-action: it may be taken over. */
  staleClaimMs?: number;
}

export const DEFAULT_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** Well past the longest an action may take (hubspot.fetch gives up after 15 s), so a slow action is not run twice. */
export const DEFAULT_STALE_CLAIM_MS = 60_000;

/**
 * One process's store, for tests and the router's default. `closewise serve` and the demo pass the store-backed
 * one (store-idempotency.ts): keys held in memory are lost on restart and unseen by the next process.
 */
export function createMemoryIdempotencyStore(
  options: IdempotencyTimes & { maxEntries?: number; now?: () => number } = {},
): IdempotencyStore {
  const ttl = options.ttlMs ?? DEFAULT_KEY_TTL_MS;
  const stale = options.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS;
  const max = options.maxEntries ?? 50_000;
  const now = options.now ?? Date.now;
  type Entry = { fingerprint: string; token: string; claimedAt: number; expiresAt: number; response?: StoredActionResponse };
  const entries = new Map<string, Entry>();
  const id = (key: CardActionKey) => JSON.stringify([key.tenantId, key.action, key.objectType, key.objectId, key.key]);
  return {
    async claim(key, { fingerprint, token }) {
      const current = entries.get(id(key));
      const free = !current || current.expiresAt <= now() || (!current.response && current.claimedAt + stale < now());
      if (!free) {
        return current.response
          ? { kind: 'completed', fingerprint: current.fingerprint, response: current.response }
          : { kind: 'in-progress', fingerprint: current.fingerprint };
      }
      if (entries.size >= max) {
        // Maps iterate in insertion order: the first key is the oldest.
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(id(key), { fingerprint, token, claimedAt: now(), expiresAt: now() + ttl });
      return { kind: 'claimed' };
    },
    async complete(key, token, response) {
      const current = entries.get(id(key));
      if (current?.token === token) current.response = response;
    },
    async release(key, token) {
      const current = entries.get(id(key));
      if (current?.token === token && !current.response) entries.delete(id(key));
    },
  };
}

export interface RunnerOptions {
  /** How long a replay waits for the first request's response before answering 409 "in progress" (default 8 s). */
  waitMs?: number;
}

export interface RunResult extends StoredActionResponse {
  /** True when this response is the stored one of an earlier request with the same key. */
  replayed: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `action` once per key, across processes when the store is shared. The claim comes first (no
 * read-then-write): its winner runs the action and stores the response; a replay gets that response, waiting
 * briefly while the first request is still running. A failed action releases its claim, so a retry really
 * retries; a key reused with a different request body is refused (409).
 */
export function createIdempotentRunner(store: IdempotencyStore, options: RunnerOptions = {}) {
  const waitMs = options.waitMs ?? 8_000;
  return async function runOnce(key: CardActionKey, fingerprint: string, action: () => Promise<StoredActionResponse>): Promise<RunResult> {
    const deadline = Date.now() + waitMs;
    for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
      const token = randomUUID();
      const claim = await store.claim(key, { fingerprint, token });
      if (claim.kind === 'claimed') return { ...(await runClaimed(store, key, token, action)), replayed: false };
      if (claim.fingerprint !== fingerprint) {
        throw new ClosewiseError('CONFLICT', 'This idempotency key was already used for a different request.');
      }
      if (claim.kind === 'completed') return { ...claim.response, replayed: true };
      if (Date.now() + pause > deadline) {
        throw new ClosewiseError('CONFLICT', 'This action is still in progress from an earlier request; try again in a moment.');
      }
      await sleep(pause);
    }
  };
}

async function runClaimed(
  store: IdempotencyStore,
  key: CardActionKey,
  token: string,
  action: () => Promise<StoredActionResponse>,
): Promise<StoredActionResponse> {
  let response: StoredActionResponse;
  try {
    response = await action();
  } catch (error) {
    // Failures are not replayed: the key is freed so a retry runs the action again. (An action that failed after
    // the CRM acted, e.g. a lost response, can then act twice; only the CRM could dedupe that.) If the release
    // itself fails, the claim goes stale and is taken over after the stale-claim time.
    await store.release(key, token).catch(() => undefined);
    throw error;
  }
  await store.complete(key, token, response);
  return response;
}
