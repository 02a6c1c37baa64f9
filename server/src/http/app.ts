import express, { type Express, type Router } from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from '../logging/logger.ts';
import { pingStore } from '../store/health.ts';
import type { Database } from '../store/schema.ts';
import { asyncRoute } from './async-route.ts';
import { rejectOversizeBodies } from './body-limit.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';

export interface AppDeps {
  db: Kysely<Database>;
  logger: Logger;
  /** Feature routers mounted under the app (card API, webhooks, preview), each validating its own input. */
  routers?: { path: string; router: Router }[];
}

/** Builds the HTTP app without listening, so tests drive it on an ephemeral port and serverless hosts can wrap it. */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // One bad-input policy for every route: an oversize body is refused before any router reads or checks it.
  app.use(rejectOversizeBodies);

  app.get(
    '/healthz',
    asyncRoute(async () => {
      await pingStore(deps.db);
      return { status: 200, body: { status: 'ok' } };
    }),
  );

  for (const { path, router } of deps.routers ?? []) app.use(path, router);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
