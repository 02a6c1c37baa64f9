import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** The `crm_api_pauses` table: at most one row per tenant, while its CRM API allowance is spent. */
export interface CrmApiPause {
  tenantId: string;
  resumeAt: Date;
  reason: string;
}

export async function upsertCrmApiPause(db: Kysely<Database>, pause: CrmApiPause, now: Date): Promise<void> {
  await db
    .insertInto('crm_api_pauses')
    .values({ tenant_id: pause.tenantId, resume_at: pause.resumeAt, reason: pause.reason, paused_at: now })
    .onConflict((oc) =>
      oc
        .column('tenant_id')
        .doUpdateSet((eb) => ({ resume_at: eb.ref('excluded.resume_at'), reason: eb.ref('excluded.reason'), paused_at: now })),
    )
    .execute();
}

export async function selectCrmApiPause(db: Kysely<Database>, tenantId: string): Promise<CrmApiPause | null> {
  const row = await db.selectFrom('crm_api_pauses').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  return row ? { tenantId: row.tenant_id, resumeAt: new Date(row.resume_at), reason: row.reason } : null;
}

export async function deleteCrmApiPause(db: Kysely<Database>, tenantId: string): Promise<void> {
  await db.deleteFrom('crm_api_pauses').where('tenant_id', '=', tenantId).execute();
}

/** Every tenant's pause (across tenants: the operator's status view). */
export async function selectCrmApiPausesOfAllTenants(db: Kysely<Database>): Promise<CrmApiPause[]> {
  const rows = await db.selectFrom('crm_api_pauses').selectAll().execute();
  return rows.map((row) => ({ tenantId: row.tenant_id, resumeAt: new Date(row.resume_at), reason: row.reason }));
}
