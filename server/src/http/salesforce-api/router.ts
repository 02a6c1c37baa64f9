import {
  modelStatusSchema,
  reasonsSchema,
  rescoreResultSchema,
  scoreChangeResponseSchema,
  taskSuggestionSchema,
  wouldRaiseResponseSchema,
} from '@closewise/contract';
import express, { type RequestHandler, type Router } from 'express';
import type { Kysely } from 'kysely';
import type { ConnectorRegistry } from '../../connectors/registry.ts';
import { BadInputError, NotFoundError } from '../../errors/errors.ts';
import type { PortalLocks } from '../../jobs/portal-locks.ts';
import type { Database } from '../../store/schema.ts';
import {
  ownsLiveRecord,
  readImpactReasons,
  readModelStatus,
  readScoreChange,
  readTaskSuggestion,
  readWouldRaise,
} from '../../use-cases/read-card.ts';
import { asyncRoute } from '../async-route.ts';
import { BODY_PARSER_LIMIT } from '../body-limit.ts';
import { assertStorable } from '../storable-text.ts';
import { requireApiKey, tenantIdOf } from './auth.ts';
import { emptyBodySchema, modelParamsSchema, type RecordParams, recordParamsSchema, SCORED_OBJECTS } from './params.ts';
import { rescoreRecord } from './rescore.ts';

export const SALESFORCE_API_PREFIX = '/api/salesforce';

export interface SalesforceApiDeps {
  db: Kysely<Database>;
  /** Builds the connector that writes a tenant's scores to its org (rescore only). */
  connectors: ConnectorRegistry;
  /** One rescore per org at a time (the jobs' portal locks, on a `rescore:` key). */
  locks: PortalLocks;
  /** Scoring time; the demo and tests pin it to the seeded org's "now". */
  now?: () => Date;
}

/**
 * The endpoints ClosewiseController.cls calls through the Closewise_Backend Named Credential. Order of
 * checks: the key (401) before the input (400) before the record (404), so nothing about records or
 * inputs is told to a caller without a valid key, and another tenant's record looks exactly like none.
 */
export function createSalesforceApiRouter(deps: SalesforceApiDeps): Router {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const router = express.Router();
  router.use(SALESFORCE_API_PREFIX, requireApiKey(db), jsonBodyOnly, express.json({ limit: BODY_PARSER_LIMIT }), storableBody);

  async function ownRecord(tenantId: string, params: unknown): Promise<RecordParams> {
    const record = recordParamsSchema.parse(params);
    if (!(await ownsLiveRecord(db, tenantId, record.objectType, record.externalId))) {
      throw new NotFoundError(`no ${record.object} ${record.externalId} in this org's Closewise data (it syncs every few hours)`);
    }
    return record;
  }

  router.get(
    `${SALESFORCE_API_PREFIX}/models/:object`,
    asyncRoute(async (req, res) => {
      const { object } = modelParamsSchema.parse(req.params);
      const status = await readModelStatus(db, tenantIdOf(res), SCORED_OBJECTS[object].objectType);
      return { status: 200, body: modelStatusSchema.parse(status) };
    }),
  );

  router.post(
    `${SALESFORCE_API_PREFIX}/records/:object/:id/rescore`,
    asyncRoute(async (req, res) => {
      const tenantId = tenantIdOf(res);
      const record = await ownRecord(tenantId, req.params);
      emptyBodySchema.parse(req.body);
      const result = await rescoreRecord({ db, connectors: deps.connectors, locks: deps.locks, now }, tenantId, record);
      return { status: 200, body: rescoreResultSchema.parse(result) };
    }),
  );

  router.get(
    `${SALESFORCE_API_PREFIX}/records/:object/:id/reasons`,
    asyncRoute(async (req, res) => {
      const tenantId = tenantIdOf(res);
      const record = await ownRecord(tenantId, req.params);
      // Not scored yet: no reasons, which the card says in words.
      const reasons = (await readImpactReasons(db, tenantId, record.objectType, record.externalId)) ?? [];
      return { status: 200, body: reasonsSchema.parse(reasons) };
    }),
  );

  router.get(
    `${SALESFORCE_API_PREFIX}/records/:object/:id/change`,
    asyncRoute(async (req, res) => {
      const tenantId = tenantIdOf(res);
      const record = await ownRecord(tenantId, req.params);
      // Not scored yet: nothing changed, which the card leaves unsaid.
      const change = (await readScoreChange(db, tenantId, record.objectType, record.externalId)) ?? {
        changed: false,
        points: null,
        since: null,
        movers: [],
      };
      return { status: 200, body: scoreChangeResponseSchema.parse(change) };
    }),
  );

  router.get(
    `${SALESFORCE_API_PREFIX}/records/:object/:id/raise`,
    asyncRoute(async (req, res) => {
      const tenantId = tenantIdOf(res);
      const record = await ownRecord(tenantId, req.params);
      // Not scored yet: nothing to suggest, which the card leaves unsaid.
      const raise = (await readWouldRaise(db, tenantId, record.objectType, record.externalId)) ?? { suggestions: [] };
      return { status: 200, body: wouldRaiseResponseSchema.parse(raise) };
    }),
  );

  router.post(
    `${SALESFORCE_API_PREFIX}/records/:object/:id/task-suggestion`,
    asyncRoute(async (req, res) => {
      const tenantId = tenantIdOf(res);
      const record = await ownRecord(tenantId, req.params);
      emptyBodySchema.parse(req.body);
      const read = await readTaskSuggestion(db, tenantId, record.objectType, record.externalId, now().toISOString().slice(0, 10));
      if (!read.scored) throw new NotFoundError(`Closewise has not scored this ${record.object} yet, so it has no task to suggest`);
      const suggestion = read.suggestion;
      if (!suggestion) throw new NotFoundError(`Closewise has no task to suggest for this ${record.object} right now`);
      return { status: 200, body: taskSuggestionSchema.parse(suggestion) };
    }),
  );

  return router;
}

/** The Apex sends JSON or nothing; a body of another type would otherwise be skipped by the parser and pass as empty. */
const jsonBodyOnly: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) next(new BadInputError('send the request body as application/json'));
  else next();
};

/** The parsed body, held to the text policy (PostgreSQL cannot store NUL or lone surrogates). */
const storableBody: RequestHandler = (req, _res, next) => {
  assertStorable(req.body);
  next();
};
