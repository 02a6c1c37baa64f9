import type { Kysely } from 'kysely';
import { parseStored } from '../columns/parse-column.ts';
import { type TenantSettings, tenantSettingsSchema } from '../columns/tenant-settings.ts';
import type { CrmKind, Database, TenantsTable } from '../schema.ts';

/**
 * The `tenants` table: one row per installed portal or org. It is the tenant, so its lookups go by id or
 * by the CRM's own id; tokens arrive and leave as ciphertext only (tenants/tenant-repository.ts encrypts).
 */
export interface TenantRow {
  id: string;
  crm: CrmKind;
  externalId: string;
  name: string;
  status: 'active' | 'disabled';
  authMode: TenantsTable['auth_mode'];
  settings: TenantSettings;
}

const columns = ['id', 'crm', 'external_id', 'name', 'status', 'auth_mode', 'settings'] as const;

function toRow(row: {
  id: string;
  crm: CrmKind;
  external_id: string;
  name: string;
  status: TenantRow['status'];
  auth_mode: TenantRow['authMode'];
  settings: unknown;
}): TenantRow {
  return {
    id: row.id,
    crm: row.crm,
    externalId: row.external_id,
    name: row.name,
    status: row.status,
    authMode: row.auth_mode,
    settings: parseStored(tenantSettingsSchema, row.settings ?? {}, `tenants.settings of tenant ${row.id}`),
  };
}

export interface TenantInsert {
  id: string;
  crm: CrmKind;
  externalId: string;
  name: string;
  authMode: TenantRow['authMode'];
  tokenCiphertext: string | null;
  tokenExpiresAt: string | null;
  settings: TenantSettings;
}

/** The row a new tenant is inserted as. */
function tenantValues(input: TenantInsert) {
  return {
    id: input.id,
    crm: input.crm,
    external_id: input.externalId,
    name: input.name,
    auth_mode: input.authMode,
    token_ciphertext: input.tokenCiphertext,
    token_expires_at: input.tokenExpiresAt,
    settings: JSON.stringify(input.settings),
  };
}

/** Inserts a tenant, or on a re-install of the same portal/org refreshes its name and credentials and re-activates it. */
export async function upsertTenantRow(db: Kysely<Database>, input: TenantInsert): Promise<TenantRow> {
  const row = await db
    .insertInto('tenants')
    .values(tenantValues(input))
    .onConflict((oc) =>
      oc.columns(['crm', 'external_id']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        auth_mode: eb.ref('excluded.auth_mode'),
        token_ciphertext: eb.ref('excluded.token_ciphertext'),
        token_expires_at: eb.ref('excluded.token_expires_at'),
        status: 'active',
      })),
    )
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toRow(row);
}

/** A plain insert (no conflict handling): test scaffolding that sets up a tenant without credentials. */
export async function insertTenantRow(db: Kysely<Database>, input: TenantInsert): Promise<void> {
  await db.insertInto('tenants').values(tenantValues(input)).execute();
}

export async function selectTenantByExternalId(db: Kysely<Database>, crm: CrmKind, externalId: string): Promise<TenantRow | null> {
  const row = await db
    .selectFrom('tenants')
    .select(columns)
    .where('crm', '=', crm)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row ? toRow(row) : null;
}

export async function selectTenant(db: Kysely<Database>, tenantId: string): Promise<TenantRow | null> {
  const row = await db.selectFrom('tenants').select(columns).where('id', '=', tenantId).executeTakeFirst();
  return row ? toRow(row) : null;
}

/** The tenant with this id if it is one of `crm`'s (a Salesforce package key is only ever issued for an org). */
export async function selectTenantOfCrm(db: Kysely<Database>, tenantId: string, crm: CrmKind): Promise<TenantRow | null> {
  const row = await db.selectFrom('tenants').select(columns).where('id', '=', tenantId).where('crm', '=', crm).executeTakeFirst();
  return row ? toRow(row) : null;
}

export async function selectTokenCiphertext(db: Kysely<Database>, tenantId: string): Promise<string | null> {
  const row = await db.selectFrom('tenants').select('token_ciphertext').where('id', '=', tenantId).executeTakeFirst();
  return row?.token_ciphertext ?? null;
}

/** Removes a tenant and, by cascade, everything stored for it. */
export async function deleteTenantRow(db: Kysely<Database>, crm: CrmKind, externalId: string): Promise<void> {
  await db.deleteFrom('tenants').where('crm', '=', crm).where('external_id', '=', externalId).execute();
}

/** Active portals, the ones schedules run for (across tenants: the job engines fan out over them). */
export async function selectActiveTenantIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('tenants').select('id').where('status', '=', 'active').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Every tenant by name, without settings or credentials: the operator's status view lists them all. */
export async function selectAllTenantSummaries(db: Kysely<Database>): Promise<Omit<TenantRow, 'settings'>[]> {
  const rows = await db.selectFrom('tenants').select(['id', 'name', 'crm', 'external_id', 'status', 'auth_mode']).orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, crm: r.crm, externalId: r.external_id, status: r.status, authMode: r.auth_mode }));
}
