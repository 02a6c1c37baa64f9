import type { Express } from 'express';
import { buildServeApp } from '../http/serve-app.ts';
import { createFunctionQueue } from './function-queue.ts';
import { openFunctionRuntime } from './function-runtime.ts';
import { lazyJobEngine } from './lazy-job-engine.ts';

export interface FunctionHttpApp {
  app: Express;
  close(): Promise<void>;
}

/**
 * The app behind both HTTP functions (Lambda, Cloud Run): the same builder and routes as `closewise serve`,
 * on PostgreSQL, with jobs sent to pg-boss for the drain function. Nothing heavy is loaded here: scoring,
 * ONNX Runtime, the trainer and jsforce load on the first request that needs them.
 */
export async function createFunctionHttpApp(env: NodeJS.ProcessEnv): Promise<FunctionHttpApp> {
  const runtime = await openFunctionRuntime(env);
  const queue = createFunctionQueue(runtime, env);
  const served = buildServeApp(runtime, lazyJobEngine(queue), env);
  if (!served.hubSpotMounted)
    runtime.logger.warn('HUBSPOT_CLIENT_SECRET is not set: the card API, webhooks and OAuth install are not mounted');
  return {
    app: served.app,
    async close() {
      await served.stop();
      await queue.stop();
      await runtime.close();
    },
  };
}
