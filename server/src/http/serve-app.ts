import type { Express } from 'express';
import type { JobEngine } from '../jobs/engine.ts';
import type { RateBudget } from '../jobs/rate-budget.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { resolveEncryptionKey } from '../security/encryption-key.ts';
import { buildApp } from './app.ts';
import { hubSpotAppRouters } from './hubspot-app-routers.ts';
import { salesforceAppRouters } from './salesforce-app-routers.ts';

export interface ServeApp {
  app: Express;
  /** False when HUBSPOT_CLIENT_SECRET is unset: no card API, webhooks or OAuth install. */
  hubSpotMounted: boolean;
  /** Stops the background work the routers started (the webhook queue's retries). */
  stop(): Promise<void>;
}

/**
 * Everything `closewise serve` mounts — card API, webhooks, OAuth install, Salesforce package API,
 * `/healthz` — built without listening, so the serverless entry points serve exactly the same routes.
 * `jobs` receives what requests enqueue (a webhook's rescoring, a new install's first sync); null drops it.
 * `budget` is the per-portal HubSpot budget the webhook refreshes share with the jobs (serve passes its own).
 */
export function buildServeApp(runtime: Runtime, jobs: JobEngine | null, env: NodeJS.ProcessEnv, budget?: RateBudget): ServeApp {
  const encryptionKey = resolveEncryptionKey(runtime.config);
  const hubSpot = hubSpotAppRouters(runtime, encryptionKey, jobs, budget);
  const routers = [...hubSpot.routers, ...salesforceAppRouters(runtime, encryptionKey, jobs, env)];
  const app = buildApp({ db: runtime.store.db, logger: runtime.logger, routers });
  return { app, hubSpotMounted: hubSpot.routers.length > 0, stop: hubSpot.stop };
}
