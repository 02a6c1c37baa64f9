import { modelStatusSchema, reasonsSchema, rescoreResultSchema, taskSuggestionSchema } from '@closewise/contract';
import express, { type Router } from 'express';
import type { Kysely } from 'kysely';
import { recordExists } from '../../cards/record-cards.ts';
import { readImpactReasons, readModelStatus, topTaskSuggestion } from '../../cards/salesforce-insights.ts';
import { snoozedActions } from '../../cards/snoozes.ts';
import { NotFoundError } from '../../errors/errors.ts';
import { readRecordInsights } from '../../scoring/index.ts';
import type { Database } from '../../store/schema.ts';
import { requireApiKey, tenantIdOf } from './auth.ts';
import { emptyBodySchema, modelParamsSchema, type RecordParams, recordParamsSchema, SCORED_OBJECTS } from './params.ts';
import { rescoreRecord, type ScoreWriter } from './rescore.ts';

export const SALESFORCE_API_PREFIX = '/api/salesforce';

export interface SalesforceApiDeps {
  db: Kysely<Database>;
  /** The connector that writes a tenant's scores to its org (rescore only). */
  connectorFor(tenantId: string): Promise<ScoreWriter>;
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
  router.use(SALESFORCE_API_PREFIX, requireApiKey(db), express.json({ limit: '1kb' }));

  async function ownRecord(tenantId: string, params: unknown): Promise<RecordParams> {
    const record = recordParamsSchema.parse(params);
    if (!(await recordExists(db, tenantId, record.objectType, record.externalId))) {
      throw new NotFoundError(`no ${record.object} ${record.externalId} in this org's Closewise data (it syncs every few hours)`);
    }
    return record;
  }

  router.get(`${SALESFORCE_API_PREFIX}/models/:object`, async (req, res) => {
    const { object } = modelParamsSchema.parse(req.params);
    const status = await readModelStatus(db, tenantIdOf(res), SCORED_OBJECTS[object].objectType);
    res.json(modelStatusSchema.parse(status));
  });

  router.post(`${SALESFORCE_API_PREFIX}/records/:object/:id/rescore`, async (req, res) => {
    const tenantId = tenantIdOf(res);
    const record = await ownRecord(tenantId, req.params);
    emptyBodySchema.parse(req.body);
    const result = await rescoreRecord({ db, connectorFor: deps.connectorFor, now }, tenantId, record);
    res.json(rescoreResultSchema.parse(result));
  });

  router.get(`${SALESFORCE_API_PREFIX}/records/:object/:id/reasons`, async (req, res) => {
    const tenantId = tenantIdOf(res);
    const record = await ownRecord(tenantId, req.params);
    // Not scored yet: no reasons, which the card says in words.
    const reasons = (await readImpactReasons(db, tenantId, record.objectType, record.externalId)) ?? [];
    res.json(reasonsSchema.parse(reasons));
  });

  router.post(`${SALESFORCE_API_PREFIX}/records/:object/:id/task-suggestion`, async (req, res) => {
    const tenantId = tenantIdOf(res);
    const record = await ownRecord(tenantId, req.params);
    emptyBodySchema.parse(req.body);
    const [insights, snoozed] = await Promise.all([
      readRecordInsights(db, tenantId, record.objectType, record.externalId),
      snoozedActions(db, tenantId, record.objectType, record.externalId, now().toISOString().slice(0, 10)),
    ]);
    if (!insights) throw new NotFoundError(`Closewise has not scored this ${record.object} yet, so it has no task to suggest`);
    const suggestion = topTaskSuggestion(insights, snoozed);
    if (!suggestion) throw new NotFoundError(`Closewise has no task to suggest for this ${record.object} right now`);
    res.json(taskSuggestionSchema.parse(suggestion));
  });

  return router;
}
