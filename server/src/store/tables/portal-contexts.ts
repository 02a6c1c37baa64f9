import type { Kysely } from 'kysely';
import { parseStoredOrNull } from '../columns/parse-column.ts';
import { PORTAL_CONTEXT_FORMAT, portalContextSchema, type StoredPortalContext } from '../columns/portal-context.ts';
import type { Database } from '../schema.ts';

/**
 * The `portal_contexts` table: one row per tenant, the context of its last full scoring run. A row of another
 * format, or one that does not parse, reads as none: the next rescore then takes the full path and stores a
 * new one.
 */
export async function selectPortalContext(db: Kysely<Database>, tenantId: string): Promise<StoredPortalContext | null> {
  const row = await db.selectFrom('portal_contexts').select(['format', 'context']).where('tenant_id', '=', tenantId).executeTakeFirst();
  if (!row || row.format !== PORTAL_CONTEXT_FORMAT) return null;
  return parseStoredOrNull(portalContextSchema, row.context);
}

export async function upsertPortalContext(db: Kysely<Database>, tenantId: string, context: StoredPortalContext): Promise<void> {
  const values = {
    tenant_id: tenantId,
    format: PORTAL_CONTEXT_FORMAT,
    computed_at: context.computedAt,
    context: JSON.stringify(portalContextSchema.parse(context)),
  };
  await db
    .insertInto('portal_contexts')
    .values(values)
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({ format: values.format, computed_at: values.computed_at, context: values.context }),
    )
    .execute();
}
