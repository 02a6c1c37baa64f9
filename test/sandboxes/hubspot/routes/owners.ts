import { Router } from 'express';
import type { SandboxContext } from '../context.ts';
import { notFound, validationError } from '../errors.ts';

/** CRM owners (/crm/v3/owners), paged by position as HubSpot does. */
export function ownersRouter(ctx: SandboxContext): Router {
  const router = Router();

  router.get('/crm/v3/owners', (req, res) => {
    const limit = Math.min(Number(req.query.limit ?? 100), 500);
    const after = Number(req.query.after ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(after) || after < 0) {
      throw validationError('limit and after must be non-negative integers');
    }
    const owners = ctx.portal.owners.filter((o) => (req.query.email ? o.email === req.query.email : true));
    const page = owners.slice(after, after + limit);
    const next = after + limit < owners.length ? { paging: { next: { after: String(after + limit) } } } : {};
    res.json({ results: page, ...next });
  });

  // HubSpot reads one owner by its owner id, or by the id of the user it belongs to with `idProperty=userId`
  // (what a UI extension's signed request names: the clicking user, not the owner).
  router.get('/crm/v3/owners/:ownerId', (req, res) => {
    const idProperty = req.query.idProperty ?? 'id';
    if (idProperty !== 'id' && idProperty !== 'userId') throw validationError(`idProperty must be id or userId, got ${String(idProperty)}`);
    const owner = ctx.portal.owners.find((o) => (idProperty === 'userId' ? String(o.userId) : o.id) === req.params.ownerId);
    if (!owner) throw notFound();
    res.json(owner);
  });

  return router;
}
