import type { Kysely } from 'kysely';
import { parseStored } from '../columns/parse-column.ts';
import { type ScoringSettings, scoringSettingsSchema, type TenantSettings, tenantSettingsSchema } from '../columns/tenant-settings.ts';
import type { Database } from '../schema.ts';

/** `tenants.settings` as a whole; null when the tenant does not exist. */
export async function selectTenantSettings(db: Kysely<Database>, tenantId: string): Promise<TenantSettings | null> {
  const row = await db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
  return row ? parseStored(tenantSettingsSchema, row.settings ?? {}, `tenants.settings of tenant ${tenantId}`) : null;
}

/**
 * The `scoring` section with its defaults filled in; undefined when the tenant has none (the caller
 * applies the product defaults), null when the tenant does not exist.
 */
export async function selectScoringSettings(db: Kysely<Database>, tenantId: string): Promise<ScoringSettings | undefined | null> {
  const settings = await selectTenantSettings(db, tenantId);
  if (settings === null) return null;
  const scoring = settings['scoring'];
  return scoring === undefined ? undefined : parseStored(scoringSettingsSchema, scoring, `tenants.settings.scoring of tenant ${tenantId}`);
}

/** Replaces the whole settings object (the settings page writes every section it knows, keeping the rest). */
export async function updateTenantSettings(db: Kysely<Database>, tenantId: string, settings: TenantSettings): Promise<void> {
  await db
    .updateTable('tenants')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', tenantId)
    .execute();
}

/** `tenants.settings` of several tenants at once (the scheduler reads every active portal's schedule each tick). */
export async function selectSettingsOfTenants(db: Kysely<Database>, tenantIds: string[]): Promise<Map<string, TenantSettings>> {
  if (tenantIds.length === 0) return new Map();
  const rows = await db.selectFrom('tenants').select(['id', 'settings']).where('id', 'in', tenantIds).execute();
  return new Map(
    rows.map((row) => [row.id, parseStored(tenantSettingsSchema, row.settings ?? {}, `tenants.settings of tenant ${row.id}`)]),
  );
}

/** Sets one section of `tenants.settings`, keeping the others (read and written in one transaction). */
export async function updateTenantSettingsSection(db: Kysely<Database>, tenantId: string, section: string, value: unknown): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = (await selectTenantSettings(trx, tenantId)) ?? {};
    await updateTenantSettings(trx, tenantId, { ...current, [section]: value });
  });
}
