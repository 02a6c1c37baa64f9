/**
 * A connector run in its own process, so tests can SIGKILL it mid-way and start it again.
 *   WORKER_MODE=sync   full/incremental sync into the store
 *   WORKER_MODE=write  writes the scores listed in WORKER_WRITES (a JSON file) back
 * Prints one JSON line with the result when it finishes.
 */
import { readFileSync } from 'node:fs';
import type { ScoreWrite } from '@closewise/server/connectors/connector';
import { HubSpotConnector } from '@closewise/server/connectors/hubspot/hubspot-connector';
import { openStore } from '@closewise/server/store/open-store';
import { syncIntoStore } from '@closewise/server/use-cases/sync-tenant';
import { z } from 'zod';

const env = z
  .object({
    WORKER_MODE: z.enum(['sync', 'write']),
    DATABASE_URL: z.string().url(),
    SANDBOX_URL: z.string().url(),
    SANDBOX_TOKEN: z.string().min(1),
    PORTAL_ID: z.string().min(1),
    TENANT_ID: z.string().min(1),
    WORKER_WRITES: z.string().optional(),
    /** Requests per second this worker may send (the sandbox runs without limits here). */
    WORKER_RATE: z.coerce.number().int().positive().default(200),
  })
  .parse(process.env);

const store = await openStore({ databaseUrl: env.DATABASE_URL, maxConnections: 2 });
const connector = new HubSpotConnector({
  accessToken: env.SANDBOX_TOKEN,
  basePath: env.SANDBOX_URL,
  portalId: env.PORTAL_ID,
  store: { db: store.db, tenantId: env.TENANT_ID },
  limits: { standard: { max: env.WORKER_RATE, intervalMs: 1000 }, search: { max: 20, intervalMs: 1000 } },
});
if (env.WORKER_MODE === 'sync') {
  const result = await syncIntoStore(store.db, env.TENANT_ID, connector);
  process.stdout.write(`${JSON.stringify({ counts: result.counts, requests: connector.counters.requests })}\n`);
} else {
  const parsed = JSON.parse(readFileSync(env.WORKER_WRITES ?? '', 'utf8')) as ScoreWrite[];
  // JSON carries dates as strings; the connector takes Date.
  const writes = parsed.map((w) => ({
    ...w,
    fields: { ...w.fields, ...(w.fields.scoredAt ? { scoredAt: new Date(w.fields.scoredAt) } : {}) },
  }));
  const result = await connector.writeScores(writes);
  process.stdout.write(
    `${JSON.stringify({ written: result.written, unchanged: result.unchanged, failed: result.failed.length, requests: connector.counters.requests })}\n`,
  );
}
await store.close();
