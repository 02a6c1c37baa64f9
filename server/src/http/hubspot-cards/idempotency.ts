/**
 * Replay protection for card actions. hubspot.fetch retries once on a 5xx or a dropped connection,
 * and a rep may click again after a timeout: the same key must yield the same result, never a second task.
 */
export interface StoredResult {
  /** Hash of the request body, so a key reused for a different request is refused instead of replayed. */
  fingerprint: string;
  status: number;
  body: unknown;
}

export interface IdempotencyStore {
  get(key: string): Promise<StoredResult | undefined>;
  /** Stores a result; a shared store must keep the first result if two instances race. */
  put(key: string, result: StoredResult): Promise<void>;
}

/** One-instance store with a time limit; a multi-instance deployment passes a PostgreSQL-backed store instead. */
export function createMemoryIdempotencyStore(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}): IdempotencyStore {
  const ttl = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const max = options.maxEntries ?? 50_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { result: StoredResult; expiresAt: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.result;
    },
    async put(key, result) {
      if (entries.has(key)) return;
      if (entries.size >= max) {
        // Maps iterate in insertion order: the first key is the oldest.
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(key, { result, expiresAt: now() + ttl });
    },
  };
}

/**
 * Runs `action` once per key: a replay gets the stored result, and a replay that arrives while the
 * first call is still running waits for it instead of running again. Failures are not stored, so a
 * retry after a failure really retries.
 */
export function createIdempotentRunner(store: IdempotencyStore) {
  const inFlight = new Map<string, Promise<StoredResult>>();
  return async function runOnce(
    key: string,
    fingerprint: string,
    action: () => Promise<{ status: number; body: unknown }>,
  ): Promise<StoredResult & { replayed: boolean }> {
    const pending = inFlight.get(key);
    if (pending) return { ...(await pending), replayed: true };
    const stored = await store.get(key);
    if (stored) return { ...stored, replayed: true };

    const run = (async () => {
      const result = { ...(await action()), fingerprint };
      await store.put(key, result);
      return result;
    })();
    inFlight.set(key, run);
    try {
      return { ...(await run), replayed: false };
    } finally {
      inFlight.delete(key);
    }
  };
}
