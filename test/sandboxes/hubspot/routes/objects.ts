import { type Request, Router } from 'express';
import { callerOf, type SandboxContext } from '../context.ts';
import { HubSpotApiError, notFound, validationError } from '../errors.ts';
import { type ObjectTypeInfo, resolveObjectType } from '../object-types.ts';
import { archiveRecord, checkUniqueEmail, createRecord, type RecordChange, updateRecord, validateProperties } from '../records.ts';
import { queryList, toPublicObject } from '../serialize.ts';
import type { StoredRecord } from '../store/object-store.ts';
import { associateOnCreate } from './associations.ts';
import { findByIdProperty } from './id-property.ts';
import {
  batchArchiveBody,
  batchCreateBody,
  batchReadBody,
  batchUpdateBody,
  checkBatchSize,
  createInput,
  parseBody,
  updateInput,
} from './schemas.ts';

const BATCH_MAX = 100;
/** HubSpot caps batch reads that ask for property history at 50 inputs. */
const HISTORY_BATCH_MAX = 50;

function typeOf(req: Request): ObjectTypeInfo {
  const type = resolveObjectType(String(req.params.objectType));
  if (!type) throw new HubSpotApiError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${String(req.params.objectType)}`);
  return type;
}

function parseId(raw: string): number | undefined {
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

function archivedFlag(raw: unknown): boolean {
  return raw === 'true';
}

function limitOf(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw validationError(`limit must be a positive integer, got ${String(raw)}`);
  return Math.min(n, max);
}

function findLive(ctx: SandboxContext, type: ObjectTypeInfo, rawId: string, archived: boolean): StoredRecord | undefined {
  const id = parseId(rawId);
  if (id === undefined) return undefined;
  const record = ctx.portal.objects[type.name].get(id);
  return record && record.archived === archived ? record : undefined;
}

/** The next page's URL: the same query with `after` replaced, as HubSpot links it. */
function nextLink(req: Request, after: string): string {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host')}`);
  url.searchParams.set('after', after);
  return url.toString();
}

function batchStamp(started: string, ctx: SandboxContext) {
  return { startedAt: started, completedAt: ctx.portal.nowIso(), requestedAt: started };
}

export function objectsRouter(ctx: SandboxContext): Router {
  const router = Router();

  router.get('/crm/v3/objects/:objectType', (req, res) => {
    const type = typeOf(req);
    const propertiesWithHistory = queryList(req.query.propertiesWithHistory);
    const limit = limitOf(req.query.limit, 10, propertiesWithHistory?.length ? HISTORY_BATCH_MAX : 100);
    const archived = archivedFlag(req.query.archived);
    const after = req.query.after === undefined ? 0 : parseId(String(req.query.after));
    if (after === undefined) throw validationError(`after must be a non-negative integer, got ${String(req.query.after)}`);
    const store = ctx.portal.objects[type.name];
    const all = store.all();
    const results: StoredRecord[] = [];
    let i = store.indexFrom(after);
    for (; i < all.length && results.length < limit; i++) {
      const record = all[i] as StoredRecord;
      if (record.archived === archived) results.push(record);
    }
    while (i < all.length && (all[i] as StoredRecord).archived !== archived) i++;
    const next = all[i];
    const options = {
      properties: queryList(req.query.properties),
      propertiesWithHistory,
      associations: queryList(req.query.associations),
    };
    for (const r of results) ctx.portal.countApiRead(type.name, r.id);
    res.json({
      results: results.map((r) => toPublicObject(ctx.portal, type, r, options)),
      ...(next ? { paging: { next: { after: String(next.id), link: nextLink(req, String(next.id)) } } } : {}),
    });
  });

  router.get('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = typeOf(req);
    const idProperty = typeof req.query.idProperty === 'string' ? req.query.idProperty : undefined;
    const record = findByIdProperty(ctx, type, String(req.params.objectId), idProperty, {
      archived: archivedFlag(req.query.archived),
      write: false,
    });
    if (!record) throw notFound();
    ctx.portal.countApiRead(type.name, record.id);
    res.json(
      toPublicObject(ctx.portal, type, record, {
        properties: queryList(req.query.properties),
        propertiesWithHistory: queryList(req.query.propertiesWithHistory),
        associations: queryList(req.query.associations),
      }),
    );
  });

  router.post('/crm/v3/objects/:objectType', (req, res) => {
    const type = typeOf(req);
    const input = parseBody(createInput, req.body);
    const props = validateProperties(ctx.portal, type, input.properties, 'create');
    checkUniqueEmail(ctx.portal, type, props);
    const { record, changes } = createRecord(ctx.portal, type, props, callerOf(res).source);
    changes.push(...associateOnCreate(ctx, type, record.id, input.associations ?? [], callerOf(res).source));
    ctx.onChanges(changes);
    res.status(201).json(toPublicObject(ctx.portal, type, record, { properties: Object.keys(props) }));
  });

  router.patch('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = typeOf(req);
    const input = parseBody(updateInput, req.body);
    const record = findLive(ctx, type, String(req.params.objectId), false);
    if (!record) throw notFound();
    const props = validateProperties(ctx.portal, type, input.properties);
    checkUniqueEmail(ctx.portal, type, props, record.id);
    ctx.portal.countApiWrite(type.name, record.id);
    ctx.onChanges(updateRecord(ctx.portal, type, record, props, callerOf(res).source));
    res.json(toPublicObject(ctx.portal, type, record, { properties: Object.keys(props) }));
  });

  router.delete('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = typeOf(req);
    const record = findLive(ctx, type, String(req.params.objectId), false);
    if (record) ctx.onChanges(archiveRecord(ctx.portal, type, record, callerOf(res).source));
    // HubSpot answers 204 whether or not the record existed.
    res.status(204).end();
  });

  router.post('/crm/v3/objects/:objectType/batch/read', (req, res) => {
    const started = ctx.portal.nowIso();
    const type = typeOf(req);
    const body = parseBody(batchReadBody, req.body);
    checkBatchSize(body.inputs.length, BATCH_MAX);
    if ((body.propertiesWithHistory?.length ?? 0) > 0 && body.inputs.length > HISTORY_BATCH_MAX) {
      throw validationError(
        `The maximum number of inputs supported in a batch request for property histories is ${HISTORY_BATCH_MAX}. Please reduce the number of items and try again`,
      );
    }
    const archived = archivedFlag(req.query.archived);
    const options = { properties: body.properties, propertiesWithHistory: body.propertiesWithHistory };
    const seen = new Set<string>();
    const results = [];
    const missing: string[] = [];
    for (const { id } of body.inputs) {
      if (seen.has(id)) continue;
      seen.add(id);
      const record = findByIdProperty(ctx, type, id, body.idProperty, { archived, write: false });
      if (record) {
        ctx.portal.countApiRead(type.name, record.id);
        results.push(toPublicObject(ctx.portal, type, record, options));
      } else missing.push(id);
    }
    const errors = missing.length
      ? [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: `Could not get some ${type.upperLabel} objects, they may be deleted or not exist. Check that ids are valid.`,
            context: { ids: missing },
            errors: [],
            links: {},
          },
        ]
      : [];
    res.status(errors.length ? 207 : 200).json({
      status: 'COMPLETE',
      results,
      ...(errors.length ? { numErrors: errors.length, errors } : {}),
      ...batchStamp(started, ctx),
    });
  });

  router.post('/crm/v3/objects/:objectType/batch/create', (req, res) => {
    const started = ctx.portal.nowIso();
    const type = typeOf(req);
    const body = parseBody(batchCreateBody, req.body);
    checkBatchSize(body.inputs.length, BATCH_MAX);
    // Validate everything first: one bad input fails the whole batch, nothing is written.
    const validated = body.inputs.map((input) => validateProperties(ctx.portal, type, input.properties, 'create'));
    const claimed = new Map<string, number>();
    for (const props of validated) checkUniqueEmail(ctx.portal, type, props, undefined, claimed);
    const changes: RecordChange[] = [];
    const results = validated.map((props, i) => {
      const created = createRecord(ctx.portal, type, props, callerOf(res).source);
      changes.push(...created.changes);
      changes.push(...associateOnCreate(ctx, type, created.record.id, body.inputs[i]?.associations ?? [], callerOf(res).source));
      return toPublicObject(ctx.portal, type, created.record, { properties: Object.keys(props) });
    });
    ctx.onChanges(changes);
    res.status(201).json({ status: 'COMPLETE', results, ...batchStamp(started, ctx) });
  });

  router.post('/crm/v3/objects/:objectType/batch/update', (req, res) => {
    const started = ctx.portal.nowIso();
    const type = typeOf(req);
    const body = parseBody(batchUpdateBody, req.body);
    checkBatchSize(body.inputs.length, BATCH_MAX);
    const ids = body.inputs.map((i) => i.id);
    const dupes = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
    if (dupes.length) throw validationError(`Duplicate IDs found in batch input: [${dupes.join(', ')}]. IDs must be unique`);
    const targets = body.inputs.map((i) => findByIdProperty(ctx, type, i.id, i.idProperty, { archived: false, write: true }));
    const missing = ids.filter((_, i) => !targets[i]);
    if (missing.length) {
      throw new HubSpotApiError(
        404,
        'OBJECT_NOT_FOUND',
        `Could not get some ${type.upperLabel} objects, they may be deleted or not exist. Check that ids are valid.`,
        {
          context: { ids: missing },
        },
      );
    }
    const validated = body.inputs.map((input) => validateProperties(ctx.portal, type, input.properties));
    const claimed = new Map<string, number>();
    validated.forEach((props, i) => {
      checkUniqueEmail(ctx.portal, type, props, targets[i]?.id, claimed);
    });
    const changes: RecordChange[] = [];
    const results = body.inputs.map((_, i) => {
      const record = targets[i] as StoredRecord;
      const props = validated[i] ?? {};
      ctx.portal.countApiWrite(type.name, record.id);
      changes.push(...updateRecord(ctx.portal, type, record, props, callerOf(res).source));
      return toPublicObject(ctx.portal, type, record, { properties: Object.keys(props) });
    });
    ctx.onChanges(changes);
    res.json({ status: 'COMPLETE', results, ...batchStamp(started, ctx) });
  });

  router.post('/crm/v3/objects/:objectType/batch/archive', (req, res) => {
    const type = typeOf(req);
    const body = parseBody(batchArchiveBody, req.body);
    checkBatchSize(body.inputs.length, BATCH_MAX);
    const changes: RecordChange[] = [];
    for (const { id } of body.inputs) {
      const record = findLive(ctx, type, id, false);
      if (record) changes.push(...archiveRecord(ctx.portal, type, record, callerOf(res).source));
    }
    ctx.onChanges(changes);
    res.status(204).end();
  });

  return router;
}
