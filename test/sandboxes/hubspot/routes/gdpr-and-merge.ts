import { type Request, Router } from 'express';
import { z } from 'zod';
import { callerOf, type SandboxContext } from '../context.ts';
import { HubSpotApiError, notFound, validationError } from '../errors.ts';
import { gdprDelete, merge } from '../lifecycle.ts';
import { type ObjectTypeInfo, resolveObjectType } from '../object-types.ts';
import { toPublicObject } from '../serialize.ts';
import type { StoredRecord } from '../store/object-store.ts';
import { parseBody } from './schemas.ts';

const id = z.union([z.string(), z.number()]).transform(String);
const gdprBody = z.object({ objectId: id, idProperty: z.string().optional() });
const mergeBody = z.object({ primaryObjectId: id, objectIdToMerge: id });

function typeOf(req: Request): ObjectTypeInfo {
  const type = resolveObjectType(String(req.params.objectType));
  if (!type) throw validationError(`Unable to infer object type from: ${String(req.params.objectType)}`);
  return type;
}

export function gdprAndMergeRouter(ctx: SandboxContext): Router {
  const router = Router();

  router.post('/crm/v3/objects/:objectType/gdpr-delete', (req, res) => {
    const type = typeOf(req);
    if (type.name !== 'contacts') throw notFound();
    const body = parseBody(gdprBody, req.body);
    let record: StoredRecord | undefined;
    if (body.idProperty === 'email') {
      const email = body.objectId.trim().toLowerCase();
      record = ctx.portal.objects.contacts.all().find((r) => r.properties.email?.trim().toLowerCase() === email);
      // HubSpot blocklists an email that matches no contact; nothing else to do here.
      if (!record) return void res.status(204).end();
    } else if (body.idProperty !== undefined && body.idProperty !== 'hs_object_id') {
      throw validationError(`Unable to perform a GDPR delete by property ${body.idProperty}: use the contact id or email`);
    } else {
      // Archived contacts can be GDPR-deleted too (a contact deleted earlier, now to be erased for good).
      record = /^\d+$/.test(body.objectId) ? ctx.portal.objects.contacts.get(Number(body.objectId)) : undefined;
      if (!record) throw notFound();
    }
    ctx.onChanges(gdprDelete(ctx, record, callerOf(res).source));
    res.status(204).end();
  });

  router.post('/crm/v3/objects/:objectType/merge', (req, res) => {
    const type = typeOf(req);
    const body = parseBody(mergeBody, req.body);
    if (body.primaryObjectId === body.objectIdToMerge) throw validationError('Cannot merge an object with itself');
    const live = (raw: string) => {
      const record = /^\d+$/.test(raw) ? ctx.portal.objects[type.name].get(Number(raw)) : undefined;
      return record && !record.archived ? record : undefined;
    };
    const primary = live(body.primaryObjectId);
    const merged = live(body.objectIdToMerge);
    if (!primary || !merged) {
      throw new HubSpotApiError(
        404,
        'OBJECT_NOT_FOUND',
        `${type.singular} ${primary ? body.objectIdToMerge : body.primaryObjectId} does not exist`,
      );
    }
    ctx.onChanges(merge(ctx, type, primary, merged, callerOf(res).source));
    res.json(toPublicObject(ctx.portal, type, primary, {}));
  });

  return router;
}
