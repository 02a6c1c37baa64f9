import type { Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { UnauthorizedError } from '../../errors/errors.ts';
import type { Database } from '../../store/schema.ts';
import { tenantOfApiKey } from './api-keys.ts';

/** `Bearer <key>` → the key; the key's own format is checked where it is looked up. */
const bearerSchema = z
  .string()
  .regex(/^Bearer\s+\S+\s*$/i)
  .transform((header) => header.replace(/^Bearer\s+/i, '').trim());

/**
 * The Named Credential's External Credential sends `Authorization: Bearer <ApiKey>` (see
 * salesforce-lwc/.../Closewise.externalCredential-meta.xml). The key alone names the tenant: no org id in
 * the request is trusted.
 */
export function requireApiKey(db: Kysely<Database>): RequestHandler {
  return async (req: Request, res: Response, next) => {
    const bearer = bearerSchema.safeParse(req.get('authorization'));
    if (!bearer.success) throw new UnauthorizedError('an API key is required: Authorization: Bearer <key>');
    const tenantId = await tenantOfApiKey(db, bearer.data);
    if (!tenantId) throw new UnauthorizedError('the API key is not valid (unknown or revoked)');
    res.locals.tenantId = tenantId;
    next();
  };
}

const localsSchema = z.object({ tenantId: z.string().min(1) });

/** The authenticated tenant of this request (set by requireApiKey). */
export function tenantIdOf(res: Response): string {
  return localsSchema.parse(res.locals).tenantId;
}
