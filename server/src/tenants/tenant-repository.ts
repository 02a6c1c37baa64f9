import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { NotFoundError } from '../errors/errors.ts';
import { decryptJson, encryptJson } from '../security/token-crypto.ts';
import type { CrmKind, Database } from '../store/schema.ts';

export interface TenantTokens {
  accessToken: string;
  refreshToken?: string;
  /** ISO time the access token expires; absent for private-app tokens, which do not expire. */
  expiresAt?: string;
}

export interface Tenant {
  id: string;
  crm: CrmKind;
  externalId: string;
  name: string;
  status: 'active' | 'disabled';
  authMode: 'oauth' | 'private_app';
  settings: Record<string, unknown>;
}

export interface NewTenant {
  crm: CrmKind;
  externalId: string;
  name: string;
  authMode: Tenant['authMode'];
  tokens: TenantTokens;
}

const columns = ['id', 'crm', 'external_id', 'name', 'status', 'auth_mode', 'settings'] as const;

type TenantRow = {
  id: string;
  crm: CrmKind;
  external_id: string;
  name: string;
  status: 'active' | 'disabled';
  auth_mode: Tenant['authMode'];
  settings: Record<string, unknown>;
};

function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    crm: row.crm,
    externalId: row.external_id,
    name: row.name,
    status: row.status,
    authMode: row.auth_mode,
    settings: row.settings,
  };
}

/** Installs (or re-installs) a portal/org; tokens are stored only as AES-256-GCM ciphertext. */
export async function upsertTenant(db: Kysely<Database>, key: Buffer, input: NewTenant): Promise<Tenant> {
  const row = await db
    .insertInto('tenants')
    .values({
      id: randomUUID(),
      crm: input.crm,
      external_id: input.externalId,
      name: input.name,
      auth_mode: input.authMode,
      token_ciphertext: encryptJson(key, input.tokens),
      token_expires_at: input.tokens.expiresAt ?? null,
      settings: JSON.stringify({}),
    })
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
  return toTenant(row);
}

export async function findTenant(db: Kysely<Database>, crm: CrmKind, externalId: string): Promise<Tenant | null> {
  const row = await db
    .selectFrom('tenants')
    .select(columns)
    .where('crm', '=', crm)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row ? toTenant(row) : null;
}

export async function getTenant(db: Kysely<Database>, tenantId: string): Promise<Tenant> {
  const row = await db.selectFrom('tenants').select(columns).where('id', '=', tenantId).executeTakeFirst();
  if (!row) throw new NotFoundError(`tenant ${tenantId} is not installed`);
  return toTenant(row);
}

export async function readTenantTokens(db: Kysely<Database>, key: Buffer, tenantId: string): Promise<TenantTokens> {
  const row = await db.selectFrom('tenants').select('token_ciphertext').where('id', '=', tenantId).executeTakeFirst();
  if (!row?.token_ciphertext) throw new NotFoundError(`tenant ${tenantId} has no stored credentials; install the app again`);
  return decryptJson<TenantTokens>(key, row.token_ciphertext);
}

/** Removes a tenant and, by cascade, everything stored for it. */
export async function deleteTenant(db: Kysely<Database>, crm: CrmKind, externalId: string): Promise<void> {
  await db.deleteFrom('tenants').where('crm', '=', crm).where('external_id', '=', externalId).execute();
}
