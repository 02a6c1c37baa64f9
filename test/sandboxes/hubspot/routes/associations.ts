import { type Request, Router } from 'express';
import { z } from 'zod';
import { associate, associationChanges, dissociate } from '../association-changes.ts';
import { targetOfTypeId } from '../association-types.ts';
import { callerOf, type SandboxContext } from '../context.ts';
import { HubSpotApiError, validationError } from '../errors.ts';
import { type ObjectTypeInfo, resolveObjectType } from '../object-types.ts';
import type { RecordChange, WriteSource } from '../records.ts';
import type { associationInput } from './schemas.ts';
import { checkBatchSize, parseBody } from './schemas.ts';

/** HubSpot v4 batch read accepts at most 1,000 inputs and returns at most 500 associations per input per page. */
const READ_MAX = 1000;
const PER_INPUT_PAGE = 500;

const readBody = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), after: z.string().optional() })),
});
const archiveBody = z.object({
  inputs: z.array(
    z.object({
      from: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
      to: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String) })),
    }),
  ),
});
const defaultCreateBody = z.object({
  inputs: z.array(
    z.object({
      from: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
      to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
    }),
  ),
});

function typeParam(req: Request, name: string): ObjectTypeInfo {
  const raw = String(req.params[name]);
  const type = resolveObjectType(raw);
  if (!type) throw validationError(`Unable to infer object type from: ${raw}`);
  return type;
}

function exists(ctx: SandboxContext, type: ObjectTypeInfo, id: string): number | undefined {
  if (!/^\d+$/.test(id)) return undefined;
  const record = ctx.portal.objects[type.name].get(Number(id));
  return record && !record.archived ? record.id : undefined;
}

/** Associations given inline on create (`associations: [{ to: { id }, types: [...] }]`); returns their events. */
export function associateOnCreate(
  ctx: SandboxContext,
  from: ObjectTypeInfo,
  fromId: number,
  inputs: Array<z.infer<typeof associationInput>>,
  source: WriteSource,
): RecordChange[] {
  const changes: RecordChange[] = [];
  for (const input of inputs) {
    for (const t of input.types) {
      const target = targetOfTypeId(from.name, t.associationTypeId);
      if (!target || t.associationCategory !== 'HUBSPOT_DEFINED') {
        throw validationError(`${t.associationTypeId} is not a valid association type id for ${from.singular}`);
      }
      const toType = resolveObjectType(target.to) as ObjectTypeInfo;
      const toId = exists(ctx, toType, input.to.id);
      if (toId === undefined) {
        throw new HubSpotApiError(
          400,
          'VALIDATION_ERROR',
          `One or more associations are invalid: ${toType.singular} ${input.to.id} does not exist`,
        );
      }
      ctx.portal.associations.associateDefault(from.name, fromId, target.to, toId, target.primary);
      changes.push(...associationChanges(ctx.portal, from, fromId, toType, toId, { removed: false, primary: target.primary, source }));
    }
  }
  return changes;
}

export function associationsRouter(ctx: SandboxContext): Router {
  const router = Router();

  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/read', (req, res) => {
    const started = ctx.portal.nowIso();
    const from = typeParam(req, 'fromObjectType');
    const to = typeParam(req, 'toObjectType');
    const body = parseBody(readBody, req.body);
    checkBatchSize(body.inputs.length, READ_MAX);
    const results = [];
    const errors = [];
    for (const input of body.inputs) {
      const fromId = /^\d+$/.test(input.id) ? Number(input.id) : Number.NaN;
      const all = Number.isNaN(fromId) ? [] : ctx.portal.associations.list(from.name, fromId, to.name);
      const start = input.after ? Number(input.after) : 0;
      const page = all.filter((a) => a.toObjectId >= start).slice(0, PER_INPUT_PAGE + 1);
      if (page.length === 0) {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${to.singular} is associated with ${from.singular} ${input.id}.`,
          context: { fromObjectId: [input.id] },
          errors: [],
          links: {},
        });
        continue;
      }
      const more = page.length > PER_INPUT_PAGE ? page[PER_INPUT_PAGE] : undefined;
      results.push({
        from: { id: input.id },
        to: page.slice(0, PER_INPUT_PAGE),
        ...(more ? { paging: { next: { after: String(more.toObjectId) } } } : {}),
      });
    }
    res.status(errors.length ? 207 : 200).json({
      status: 'COMPLETE',
      results,
      ...(errors.length ? { numErrors: errors.length, errors } : {}),
      startedAt: started,
      completedAt: ctx.portal.nowIso(),
    });
  });

  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/associate/default', (req, res) => {
    const started = ctx.portal.nowIso();
    const from = typeParam(req, 'fromObjectType');
    const to = typeParam(req, 'toObjectType');
    const body = parseBody(defaultCreateBody, req.body);
    checkBatchSize(body.inputs.length, 2000);
    const results = [];
    const changes: RecordChange[] = [];
    for (const input of body.inputs) {
      const fromId = exists(ctx, from, input.from.id);
      const toId = exists(ctx, to, input.to.id);
      if (fromId === undefined || toId === undefined) {
        throw validationError(
          `${fromId === undefined ? `${from.singular} ${input.from.id}` : `${to.singular} ${input.to.id}`} does not exist`,
        );
      }
      changes.push(...associate(ctx, from, fromId, to, toId, callerOf(res).source));
      const [type] = ctx.portal.associations.list(from.name, fromId, to.name).filter((a) => a.toObjectId === toId);
      results.push({
        from: { id: String(fromId) },
        to: { id: String(toId) },
        associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: type?.associationTypes.at(-1)?.typeId },
      });
    }
    ctx.onChanges(changes);
    res.json({ status: 'COMPLETE', results, startedAt: started, completedAt: ctx.portal.nowIso() });
  });

  // Removes every association between each `from` and its `to` ids; unknown pairs are ignored (204 either way).
  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/archive', (req, res) => {
    const from = typeParam(req, 'fromObjectType');
    const to = typeParam(req, 'toObjectType');
    const body = parseBody(archiveBody, req.body);
    checkBatchSize(body.inputs.length, 2000);
    const changes: RecordChange[] = [];
    for (const input of body.inputs) {
      const fromId = exists(ctx, from, input.from.id);
      if (fromId === undefined) continue;
      for (const target of input.to) {
        const toId = exists(ctx, to, target.id);
        if (toId !== undefined) changes.push(...dissociate(ctx, from, fromId, to, toId, callerOf(res).source));
      }
    }
    ctx.onChanges(changes);
    res.status(204).end();
  });

  router.put('/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId', (req, res) => {
    const started = ctx.portal.nowIso();
    const from = typeParam(req, 'fromObjectType');
    const to = typeParam(req, 'toObjectType');
    const fromId = exists(ctx, from, String(req.params.fromObjectId));
    const toId = exists(ctx, to, String(req.params.toObjectId));
    if (fromId === undefined || toId === undefined) {
      throw validationError(
        `${fromId === undefined ? `${from.singular} ${String(req.params.fromObjectId)}` : `${to.singular} ${String(req.params.toObjectId)}`} does not exist`,
      );
    }
    ctx.onChanges(associate(ctx, from, fromId, to, toId, callerOf(res).source));
    const [type] = ctx.portal.associations.list(from.name, fromId, to.name).filter((a) => a.toObjectId === toId);
    res.json({
      status: 'COMPLETE',
      results: [
        {
          from: { id: String(fromId) },
          to: { id: String(toId) },
          associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: type?.associationTypes.at(-1)?.typeId },
        },
      ],
      startedAt: started,
      completedAt: ctx.portal.nowIso(),
    });
  });

  router.delete('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', (req, res) => {
    const from = typeParam(req, 'objectType');
    const to = typeParam(req, 'toObjectType');
    const fromId = exists(ctx, from, String(req.params.objectId));
    const toId = exists(ctx, to, String(req.params.toObjectId));
    if (fromId !== undefined && toId !== undefined) ctx.onChanges(dissociate(ctx, from, fromId, to, toId, callerOf(res).source));
    res.status(204).end();
  });

  return router;
}
