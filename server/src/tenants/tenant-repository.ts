import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { NotFoundError } from '../errors/errors.ts';
import { decryptJson, encryptJson } from '../security/token-crypto.ts';
import type { CrmKind, Database } from '../store/schema.ts';
import {
  deleteTenantRow,
  selectTenant,
  selectTenantByExternalId,
  selectTokenCiphertext,
  type TenantRow,
  upsertTenantRow,
} from '../store/tables/tenants.ts';

export interface TenantTokens {
  accessToken: string;
  refreshToken?: string;
  /** ISO time the access token expires; absent for private-app tokens, which do not expire. */
  expiresAt?: string;
}

/** An installed portal or org, as its row is stored (settings parsed as one JSON object). */
export type Tenant = TenantRow;

export interface NewTenant {
  crm: CrmKind;
  externalId: string;
  name: string;
  authMode: Tenant['authMode'];
  tokens: TenantTokens;
}

/** Installs (or re-installs) a portal/org; tokens are stored only as AES-256-GCM ciphertext. */
export async function upsertTenant(db: Kysely<Database>, key: Buffer, input: NewTenant): Promise<Tenant> {
  return upsertTenantRow(db, {
    id: randomUUID(),
    crm: input.crm,
    externalId: input.externalId,
    name: input.name,
    authMode: input.authMode,
    tokenCiphertext: encryptJson(key, input.tokens),
    tokenExpiresAt: input.tokens.expiresAt ?? null,
    settings: {},
  });
}

export async function findTenant(db: Kysely<Database>, crm: CrmKind, externalId: string): Promise<Tenant | null> {
  return selectTenantByExternalId(db, crm, externalId);
}

export async function getTenant(db: Kysely<Database>, tenantId: string): Promise<Tenant> {
  const tenant = await selectTenant(db, tenantId);
  if (!tenant) throw new NotFoundError(`tenant ${tenantId} is not installed`);
  return tenant;
}

export async function readTenantTokens(db: Kysely<Database>, key: Buffer, tenantId: string): Promise<TenantTokens> {
  const ciphertext = await selectTokenCiphertext(db, tenantId);
  if (!ciphertext) throw new NotFoundError(`tenant ${tenantId} has no stored credentials; install the app again`);
  return decryptJson<TenantTokens>(key, ciphertext);
}

/** Removes a tenant and, by cascade, everything stored for it. */
export async function deleteTenant(db: Kysely<Database>, crm: CrmKind, externalId: string): Promise<void> {
  await deleteTenantRow(db, crm, externalId);
}
