import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { bearerAuth, type TokenRegistry } from './auth.ts';
import type { SandboxContext } from './context.ts';
import { HubSpotApiError } from './errors.ts';
import { accountInfoRouter } from './routes/account-info.ts';
import { associationsRouter } from './routes/associations.ts';
import { gdprAndMergeRouter } from './routes/gdpr-and-merge.ts';
import { objectsRouter } from './routes/objects.ts';
import { ownersRouter } from './routes/owners.ts';
import { pipelinesRouter } from './routes/pipelines.ts';
import { propertiesRouter } from './routes/properties.ts';
import { searchRouter } from './routes/search.ts';
import type { StatsCollector } from './stats.ts';
import { urlLengthLimit } from './url-limit.ts';

export interface AppParts {
  ctx: SandboxContext;
  tokens: TokenRegistry;
  stats: StatsCollector;
  /** Middleware that runs before auth (fault injection); in order. */
  before?: express.RequestHandler[];
  /** Middleware that runs after bearer auth on /crm (rate limits). */
  afterAuth?: express.RequestHandler[];
  /** Routers mounted without bearer auth (OAuth endpoints). */
  publicRouters?: express.Router[];
}

/** Builds the sandbox's Express app. Listening is index.ts's job. */
export function buildApp(parts: AppParts): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req, res, next) => {
    const correlationId = randomUUID();
    res.locals.correlationId = correlationId;
    res.set('x-hubspot-correlation-id', correlationId);
    // 'close' also fires for dropped connections (status 0), which 'finish' never sees.
    res.on('close', () =>
      parts.stats.record(req.method, req.path, res.writableFinished ? res.statusCode : 0, res.locals.rateLimitPolicy as string | undefined),
    );
    next();
  });
  app.use(urlLengthLimit);
  for (const mw of parts.before ?? []) app.use(mw);
  app.use(express.json({ limit: '20mb' }));
  app.use(express.urlencoded({ extended: false }));
  for (const router of parts.publicRouters ?? []) app.use(router);

  // Account info is an API call like any other: authenticated and counted against the same limits.
  app.use(['/crm', '/account-info'], bearerAuth(parts.tokens, parts.ctx.portal.clock), ...(parts.afterAuth ?? []));
  app.use(accountInfoRouter(parts.ctx));
  app.use(searchRouter(parts.ctx));
  app.use(gdprAndMergeRouter(parts.ctx));
  app.use(objectsRouter(parts.ctx));
  app.use(propertiesRouter(parts.ctx));
  app.use(associationsRouter(parts.ctx));
  app.use(pipelinesRouter(parts.ctx));
  app.use(ownersRouter(parts.ctx));

  app.use((_req, _res, next) => next(new HubSpotApiError(404, 'OBJECT_NOT_FOUND', 'Resource not found')));
  app.use(errorHandler);
  return app;
}

/** The one place errors become HubSpot-shaped responses. */
function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const correlationId = String(res.locals.correlationId ?? randomUUID());
  if (err instanceof HubSpotApiError) {
    res.status(err.httpStatus).json(err.body(correlationId));
    return;
  }
  // body-parser's malformed JSON error
  if (typeof err === 'object' && err !== null && 'type' in err && err.type === 'entity.parse.failed') {
    const message = err instanceof Error ? err.message : 'malformed JSON';
    res.status(400).json(new HubSpotApiError(400, 'VALIDATION_ERROR', `Invalid input JSON: ${message}`).body(correlationId));
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  res.status(500).json(new HubSpotApiError(500, 'INTERNAL_ERROR', `internal error: ${message}`).body(correlationId));
}
