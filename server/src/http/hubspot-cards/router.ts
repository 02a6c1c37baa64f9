import { createHash } from 'node:crypto';
import {
  type CardObjectType,
  cardObjectTypeSchema,
  companyCardSchema,
  contactCardSchema,
  createTaskRequestSchema,
  createTaskResponseSchema,
  dealCardSchema,
  rescoreRequestSchema,
  settingsResponseSchema,
  settingsValuesSchema,
  snoozeRequestSchema,
  snoozeResponseSchema,
} from '@closewise/contract';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import { BadInputError, ClosewiseError, NotFoundError } from '../../errors/errors.ts';
import { silentLogger } from '../../logging/logger.ts';
import { withinCrmDeadline } from '../../use-cases/crm-deadline.ts';
import { asyncRoute } from '../async-route.ts';
import { errorHandler } from '../error-handler.ts';
import { type SignedLocals, signedJsonBody, verifySignedRequest } from '../signed-request.ts';
import type { HubSpotCardApiDeps } from './deps.ts';
import { type CardActionKey, createIdempotentRunner, createMemoryIdempotencyStore, type RunResult } from './idempotency.ts';

export const CARD_API_PREFIX = '/api/hubspot';

const cardSchemas = { deals: dealCardSchema, contacts: contactCardSchema, companies: companyCardSchema } as const;

interface Scope {
  tenantId: string;
  objectType: CardObjectType;
  id: string;
}

/**
 * The API behind the HubSpot cards and settings page:
 *   GET  /api/hubspot/cards/:objectType/:id                      card data
 *   POST /api/hubspot/cards/:objectType/:id/actions/create-task  { idempotencyKey, actionId, title, dueDate }
 *        → { taskId, created, assignedToYou }: the task is the clicking user's (userId of the signed URL)
 *   POST /api/hubspot/cards/:objectType/:id/actions/rescore      { idempotencyKey } → fresh card data
 *   POST /api/hubspot/cards/:objectType/:id/actions/snooze       { idempotencyKey, actionId, until }
 *   GET  /api/hubspot/settings      PUT /api/hubspot/settings
 * Every request: v3 signature (401), portalId from the signed URL matched to a tenant (403), record of that
 * tenant (404, no data), input validated (400), output validated with the schema the card checks again.
 */
export function createHubSpotCardRouter(deps: HubSpotCardApiDeps): Router {
  const logger = deps.logger ?? silentLogger;
  const runOnce = createIdempotentRunner(deps.idempotency ?? createMemoryIdempotencyStore());
  const tenants = createTenantCache(deps);
  const router = express.Router();

  router.use(
    CARD_API_PREFIX,
    verifySignedRequest({ clientSecret: deps.clientSecret, publicBaseUrl: deps.publicBaseUrl, now: deps.now ?? Date.now }),
  );

  const readCard = async (scope: Scope) => {
    const data =
      scope.objectType === 'deals'
        ? await deps.cards.deal(scope.tenantId, scope.id)
        : scope.objectType === 'contacts'
          ? await deps.cards.contact(scope.tenantId, scope.id)
          : await deps.cards.company(scope.tenantId, scope.id);
    if (data === null) throw recordNotFound(scope);
    const parsed = validOutput(cardSchemas[scope.objectType], data);
    // A data layer bug returning another record must not leak it.
    if (parsed.id !== scope.id) throw new ClosewiseError('INTERNAL', 'Card data does not match the requested record.');
    return parsed;
  };

  router.get(
    `${CARD_API_PREFIX}/cards/:objectType/:id`,
    asyncRoute(async (req) => ({ status: 200, body: await readCard(await recordScope(tenants, req)) })),
  );

  router.post(
    `${CARD_API_PREFIX}/cards/:objectType/:id/actions/create-task`,
    asyncRoute(async (req, res) => {
      const scope = await recordScope(tenants, req);
      const body = signedJsonBody(res, createTaskRequestSchema);
      const userId = clickingUserId(req);
      // The deadline wraps the runner, not the call: a retry of the same key joins (or waits for) the one still running.
      const result = await withinCrmDeadline('HubSpot', 'creating the task', () =>
        runOnce(actionKey(scope, 'create-task', body.idempotencyKey), fingerprint(res), async () => {
          const task = await deps.actions.createTask(
            scope.tenantId,
            scope.objectType,
            scope.id,
            { actionId: body.actionId, title: body.title, dueDate: body.dueDate, ...(userId ? { userId } : {}) },
            body.idempotencyKey,
          );
          if (task === null) throw recordNotFound(scope);
          return { status: 201, body: validOutput(createTaskResponseSchema, { ...task, created: true }) };
        }),
      );
      return replayResult(result, (stored) => ({ ...validOutput(createTaskResponseSchema, stored), created: false }));
    }),
  );

  router.post(
    `${CARD_API_PREFIX}/cards/:objectType/:id/actions/snooze`,
    asyncRoute(async (req, res) => {
      const scope = await recordScope(tenants, req);
      const body = signedJsonBody(res, snoozeRequestSchema);
      const result = await runOnce(actionKey(scope, 'snooze', body.idempotencyKey), fingerprint(res), async () => {
        const found = await deps.actions.snooze(scope.tenantId, scope.objectType, scope.id, { actionId: body.actionId, until: body.until });
        if (!found) throw recordNotFound(scope);
        return { status: 200, body: validOutput(snoozeResponseSchema, { actionId: body.actionId, until: body.until }) };
      });
      return replayResult(result, (stored) => stored);
    }),
  );

  router.post(
    `${CARD_API_PREFIX}/cards/:objectType/:id/actions/rescore`,
    asyncRoute(async (req, res) => {
      const scope = await recordScope(tenants, req);
      const body = signedJsonBody(res, rescoreRequestSchema);
      // A replay gets the card the first rescore returned: a retried click must not write back twice.
      const result = await withinCrmDeadline('HubSpot', 'rescoring this record', () =>
        runOnce(actionKey(scope, 'rescore', body.idempotencyKey), fingerprint(res), async () => {
          if (!(await deps.actions.rescore(scope.tenantId, scope.objectType, scope.id))) throw recordNotFound(scope);
          return { status: 200, body: await readCard(scope) };
        }),
      );
      return replayResult(result, (stored) => stored);
    }),
  );

  router.get(
    `${CARD_API_PREFIX}/settings`,
    asyncRoute(async (req) => {
      const { tenantId } = await tenantOf(tenants, req);
      return { status: 200, body: validOutput(settingsResponseSchema, await deps.settings.read(tenantId)) };
    }),
  );

  router.put(
    `${CARD_API_PREFIX}/settings`,
    asyncRoute(async (req, res) => {
      const { tenantId } = await tenantOf(tenants, req);
      const values = signedJsonBody(res, settingsValuesSchema);
      return { status: 200, body: validOutput(settingsResponseSchema, await deps.settings.write(tenantId, values)) };
    }),
  );

  // Anything else under the prefix was signed but names no route.
  router.use(CARD_API_PREFIX, (_req: Request, _res: Response, next: NextFunction) => next(new NotFoundError('No such card API route.')));
  // Error responses here never carry details: the card shows the message, and details could hold record data.
  router.use(CARD_API_PREFIX, errorHandler(logger, { details: false }));
  return router;
}

function recordNotFound(scope: Scope): NotFoundError {
  return new NotFoundError(`Closewise has no ${scope.objectType.replace(/s$/, '').replace(/ie$/, 'y')} ${scope.id} for this portal.`);
}

/** The portal comes only from the signed URL; HubSpot may append its own portalId, and all copies must agree. */
type ResolveTenant = (portalId: string) => Promise<{ tenantId: string } | null>;

/** Every card view asks for its portal's tenant; remembering matches briefly saves a store round trip per request. */
function createTenantCache(deps: HubSpotCardApiDeps): ResolveTenant {
  const ttl = deps.tenantCacheTtlMs ?? 30_000;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { tenantId: string; expiresAt: number }>();
  return async (portalId) => {
    const hit = cache.get(portalId);
    if (hit && hit.expiresAt > now()) return { tenantId: hit.tenantId };
    const tenant = await deps.resolveTenant(portalId);
    if (tenant && ttl > 0) {
      if (cache.size >= 10_000) cache.clear();
      cache.set(portalId, { tenantId: tenant.tenantId, expiresAt: now() + ttl });
    } else cache.delete(portalId);
    return tenant;
  };
}

async function tenantOf(resolveTenant: ResolveTenant, req: Request): Promise<{ tenantId: string }> {
  const raw = req.query['portalId'];
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  const portalId = values[0];
  if (portalId === undefined || !/^\d{1,20}$/.test(portalId))
    throw new BadInputError('portalId query parameter must be a numeric HubSpot portal id.');
  if (values.some((v) => v !== portalId)) throw new BadInputError('portalId appears more than once with different values.');
  const tenant = await resolveTenant(portalId);
  if (!tenant) throw new ClosewiseError('FORBIDDEN', 'Closewise is not installed in this HubSpot portal.');
  return tenant;
}

/**
 * The HubSpot user who clicked: hubspot.fetch appends `userId` (with `userEmail`, `portalId`, `appId`) to the URL
 * it signs, so it is as trustworthy as the portal id. Absent when something other than a card calls.
 */
function clickingUserId(req: Request): string | undefined {
  const raw = req.query['userId'];
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  const userId = values[0];
  if (userId === undefined) return undefined;
  if (!/^\d{1,20}$/.test(userId)) throw new BadInputError('userId query parameter must be a numeric HubSpot user id.');
  if (values.some((v) => v !== userId)) throw new BadInputError('userId appears more than once with different values.');
  return userId;
}

async function recordScope(resolveTenant: ResolveTenant, req: Request): Promise<Scope> {
  const objectType = cardObjectTypeSchema.safeParse(req.params['objectType']);
  if (!objectType.success)
    throw new BadInputError(`Unknown object type "${String(req.params['objectType'])}"; use deals, contacts or companies.`);
  const id = String(req.params['id']);
  if (!/^\d{1,20}$/.test(id)) throw new BadInputError('Record id must be numeric.');
  const { tenantId } = await tenantOf(resolveTenant, req);
  return { tenantId, objectType: objectType.data, id };
}

/** Responses are validated with the card's own schema: a bad row is an error here, not a broken card there. */
function validOutput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ClosewiseError('INTERNAL', 'Card data failed validation.', parsed.error.issues);
  return parsed.data;
}

/** Keys are per tenant, action and record: the same key on another record or portal is another action. */
function actionKey(scope: Scope, action: 'create-task' | 'snooze' | 'rescore', key: string): CardActionKey {
  return { tenantId: scope.tenantId, action, objectType: scope.objectType, objectId: scope.id, key };
}

function fingerprint(res: Response): string {
  return createHash('sha256')
    .update((res.locals as SignedLocals).rawBody)
    .digest('base64url');
}

/** The first request's response as it was; a replay answers 200 with the stored body (mapped, e.g. created: false). */
function replayResult(result: RunResult, onReplay: (body: unknown) => unknown): { status: number; body: unknown } {
  if (!result.replayed) return { status: result.status, body: result.body };
  return { status: 200, body: onReplay(result.body) };
}
