import { Router } from 'express';
import { z } from 'zod';
import type { SandboxContext } from '../context.ts';
import { validationError } from '../errors.ts';
import { resolveObjectType } from '../object-types.ts';
import { compileFilter, OPERATORS, type Predicate, sortRecords } from '../search/filters.ts';
import { asIndexed } from '../search/index-view.ts';
import { toPublicObject } from '../serialize.ts';
import type { StoredRecord } from '../store/object-store.ts';
import { parseBody } from './schemas.ts';

/** HubSpot's documented search limits. */
export const SEARCH_LIMITS = { maxPage: 200, maxResults: 10_000, maxGroups: 5, maxFiltersPerGroup: 6, maxFilters: 18 };

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const filter = z.object({
  propertyName: z.string(),
  operator: z.enum(OPERATORS),
  value: scalar.optional(),
  highValue: scalar.optional(),
  values: z.array(scalar).optional(),
});
const sort = z.union([
  z.string(),
  z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') }),
]);
const searchBody = z.object({
  filterGroups: z.array(z.object({ filters: z.array(filter) })).optional(),
  /** Top-level filters (one implicit AND group), accepted by HubSpot though absent from the SDK. */
  filters: z.array(filter).optional(),
  sorts: z.array(sort).optional(),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().optional(),
  after: z.union([z.string(), z.number()]).transform(String).optional(),
  query: z.string().optional(),
});

const QUERY_PROPERTIES = ['email', 'firstname', 'lastname', 'phone', 'company', 'name', 'domain', 'dealname', 'hs_object_id'];

export function searchRouter(ctx: SandboxContext): Router {
  const router = Router();

  router.post('/crm/v3/objects/:objectType/search', (req, res) => {
    const type = resolveObjectType(String(req.params.objectType));
    if (!type) throw validationError(`Unable to infer object type from: ${String(req.params.objectType)}`);
    const body = parseBody(searchBody, req.body);
    const groups = body.filterGroups ?? (body.filters ? [{ filters: body.filters }] : []);
    const total = groups.reduce((n, g) => n + g.filters.length, 0);
    if (groups.length > SEARCH_LIMITS.maxGroups) {
      throw validationError(`Too many filter groups: ${groups.length}. The maximum is ${SEARCH_LIMITS.maxGroups}.`);
    }
    if (groups.some((g) => g.filters.length > SEARCH_LIMITS.maxFiltersPerGroup)) {
      throw validationError(`Too many filters in a filter group. The maximum is ${SEARCH_LIMITS.maxFiltersPerGroup} per group.`);
    }
    if (total > SEARCH_LIMITS.maxFilters) {
      throw validationError(`Too many filters: ${total}. The maximum is ${SEARCH_LIMITS.maxFilters} across all filter groups.`);
    }
    if ((body.sorts?.length ?? 0) > 1) {
      // HubSpot's search guide: only one sorting rule can be applied to any search.
      throw validationError('Only one sort is supported per search request.');
    }
    const limit = body.limit ?? 10;
    if (limit < 0 || limit > SEARCH_LIMITS.maxPage) {
      throw validationError(`limit must be between 0 and ${SEARCH_LIMITS.maxPage}, got ${limit}`);
    }
    const offset = body.after === undefined || body.after === '' ? 0 : Number(body.after);
    if (!Number.isInteger(offset) || offset < 0) throw validationError(`after must be a non-negative integer, got ${body.after}`);
    if (offset + limit > SEARCH_LIMITS.maxResults) {
      // HubSpot refuses to page past the 10,000th result of a query.
      throw validationError(
        `The search endpoints are limited to ${SEARCH_LIMITS.maxResults} total results for any given query; after (${offset}) + limit (${limit}) exceeds it.`,
      );
    }

    const compiled: Predicate[][] = groups.map((g) => g.filters.map((f) => compileFilter(ctx.portal, type, f)));
    const query = body.query?.toLowerCase();
    // With an index delay, search sees the portal as it was `searchIndexDelayMs` ago (see index-view.ts).
    const delay = ctx.portal.searchIndexDelayMs;
    const asOf = ctx.portal.clock() - delay;
    const indexed =
      delay > 0 ? ctx.portal.objects[type.name].all().flatMap((r) => asIndexed(r, type, asOf) ?? []) : ctx.portal.objects[type.name].all();
    const matches = indexed.filter((r) => {
      if (r.archived) return false;
      if (compiled.length > 0 && !compiled.some((group) => group.every((p) => p(r)))) return false;
      if (query) return QUERY_PROPERTIES.some((p) => r.properties[p]?.toLowerCase().includes(query));
      return true;
    });

    const sort = body.sorts?.[0];
    const ordered: StoredRecord[] =
      sort === undefined
        ? matches
        : typeof sort === 'string'
          ? sortRecords(ctx.portal, type, matches, sort.replace(/^-/, ''), sort.startsWith('-'))
          : sortRecords(ctx.portal, type, matches, sort.propertyName, sort.direction === 'DESCENDING');

    const page = ordered.slice(offset, offset + limit);
    const nextOffset = offset + page.length;
    for (const r of page) ctx.portal.countApiRead(type.name, r.id);
    res.json({
      total: matches.length,
      results: page.map((r) => toPublicObject(ctx.portal, type, r, { properties: body.properties })),
      ...(nextOffset < matches.length && page.length > 0 ? { paging: { next: { after: String(nextOffset) } } } : {}),
    });
  });

  return router;
}
