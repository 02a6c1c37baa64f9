import type { NextFunction, Request, Response } from 'express';
import type { Caller } from './context.ts';
import { resolveObjectType } from './object-types.ts';

/** Object types whose scopes the sandbox knows for sure; engagements' granular scopes are not modelled. */
const SCOPED = new Set(['contacts', 'companies', 'deals']);

/**
 * The scopes (any one suffices) HubSpot requires for a CRM call, or undefined when the sandbox does not check
 * that call. Object reads need crm.objects.X.read (search is a read even though it is a POST), writes
 * crm.objects.X.write; property definitions need crm.schemas.X.write to change and any X scope to read.
 */
export function requiredScopes(method: string, path: string): string[] | undefined {
  const parts = path.split('/').filter(Boolean); // crm, v3, objects|properties|owners..., type, ...
  const area = parts[2];
  if (area === 'owners') return ['crm.objects.owners.read'];
  const type = parts[3] ? resolveObjectType(parts[3]) : undefined;
  if (!type || !SCOPED.has(type.name)) return undefined;
  const read = method === 'GET' || /\/(search|batch\/read)$/.test(path);
  if (area === 'objects') return [`crm.objects.${type.name}.${read ? 'read' : 'write'}`];
  if (area === 'properties') {
    if (!read) return [`crm.schemas.${type.name}.write`];
    return [
      `crm.schemas.${type.name}.read`,
      `crm.schemas.${type.name}.write`,
      `crm.objects.${type.name}.read`,
      `crm.objects.${type.name}.write`,
    ];
  }
  if (area === 'associations') return [`crm.objects.${type.name}.${read ? 'read' : 'write'}`];
  return undefined;
}

/** 403 MISSING_SCOPES for OAuth tokens without a required scope (private-app tokens are not checked). */
export function scopeCheck() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const caller = res.locals.caller as Caller | undefined;
    // Mounted under /crm: req.path has the mount stripped.
    const required = requiredScopes(req.method, req.baseUrl + req.path);
    if (!caller?.scopes || !required || required.some((s) => caller.scopes?.includes(s))) {
      next();
      return;
    }
    res.status(403).json({
      status: 'error',
      message:
        "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      correlationId: String(res.locals.correlationId ?? ''),
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: required } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
      category: 'MISSING_SCOPES',
    });
  };
}
