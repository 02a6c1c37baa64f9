/**
 * A worker process for the multi-worker tests, the fault test and the jobs bench: the pg-boss engine with
 * either small test handlers (`HANDLERS=test`: rescoring, write-back shards) or the production handlers
 * (`HANDLERS=real`: jobs/real-handlers.ts, the use cases and the HubSpot connector, tokens decrypted with
 * `ENCRYPTION_KEY`), started like `closewise worker` (same engine, same shutdown on SIGTERM).
 */
import { z } from 'zod';
import { createLogger } from '../../logging/logger.ts';
import { openStore } from '../../store/open-store.ts';
import { PgBossEngine } from '../pg-boss-engine.ts';
import { createPostgresRateBudget } from '../rate-budget.ts';
import { createRealHandlers } from '../real-handlers.ts';
import type { JobHandlers } from '../registry.ts';
import { parseJobSettings } from '../settings.ts';
import { createRescoreHandler } from './rescore-handler.ts';
import { createWriteBackHandler } from './write-back-handler.ts';

const env = z
  .object({
    DATABASE_URL: z.string().url(),
    SANDBOX_URL: z.string().url(),
    SANDBOX_TOKEN: z.string().min(1),
    WORKER_NAME: z.string().min(1),
    CONCURRENCY: z.coerce.number().int().min(1).default(3),
    PAUSE_MS: z.coerce.number().int().min(0).default(100),
    BUDGET_REQUESTS: z.coerce.number().int().min(1).default(104),
    BUDGET_WINDOW_MS: z.coerce.number().int().min(1).default(10_000),
    /** A shorter run lease than production's 30 s, for tests of a killed worker's runs. */
    RUN_LEASE_MS: z.coerce.number().int().min(100).optional(),
    HANDLERS: z.enum(['test', 'real']).default('test'),
    /** 32 bytes as hex: the key the tenants' tokens were stored with (real handlers only). */
    ENCRYPTION_KEY: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .parse(process.env);

const logger = createLogger({ level: 'warn' });
const store = await openStore({ databaseUrl: env.DATABASE_URL, maxConnections: 4 });
const budget = createPostgresRateBudget(store.db, { requests: env.BUDGET_REQUESTS, windowMs: env.BUDGET_WINDOW_MS });
function realHandlers(): JobHandlers {
  if (!env.ENCRYPTION_KEY) throw new Error('HANDLERS=real needs ENCRYPTION_KEY');
  return createRealHandlers({
    db: store.db,
    encryptionKey: Buffer.from(env.ENCRYPTION_KEY, 'hex'),
    hubSpotBasePath: env.SANDBOX_URL,
    budget,
  });
}
const engine = new PgBossEngine({
  databaseUrl: env.DATABASE_URL,
  db: store.db,
  handlers:
    env.HANDLERS === 'real'
      ? realHandlers()
      : {
          rescore: createRescoreHandler({
            db: store.db,
            sandboxUrl: env.SANDBOX_URL,
            token: env.SANDBOX_TOKEN,
            budget,
            pauseMs: env.PAUSE_MS,
          }),
          'write-back': createWriteBackHandler({ db: store.db, sandboxUrl: env.SANDBOX_URL, token: env.SANDBOX_TOKEN, budget }),
        },
  settings: parseJobSettings({ concurrency: env.CONCURRENCY, schedules: { sync: 'off', rescore: 'off', retrain: 'off' } }),
  logger,
  worker: env.WORKER_NAME,
  registerSchedules: false,
  tuning: {
    pollingIntervalSeconds: 0.5,
    heartbeatSeconds: 10,
    superviseIntervalSeconds: 1,
    retryDelaySeconds: 1,
    retryDelayMaxSeconds: 2,
    holdWaitMs: 500,
    ...(env.RUN_LEASE_MS ? { runLease: { leaseMs: env.RUN_LEASE_MS, renewMs: Math.max(50, Math.floor(env.RUN_LEASE_MS / 4)) } } : {}),
  },
});
await engine.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void engine
    .stop({ graceMs: 10_000 })
    .then(() => store.close())
    .then(() => process.exit(0));
});
