import { type Kysely, sql } from 'kysely';

/**
 * Sync cursors are stored by the sync use case under one key scheme for both CRMs (`cursor:<connector's key>`,
 * store/tables/sync-state.ts). HubSpot's incremental cursors already used it; Salesforce's were kept by the
 * jobs under `salesforce-cursor:<object>`. Renamed, so installed orgs continue incrementally.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update sync_state set object_type = 'cursor:' || substr(object_type, length('salesforce-cursor:') + 1)
    where object_type like 'salesforce-cursor:%'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    update sync_state set object_type = 'salesforce-cursor:' || substr(object_type, length('cursor:') + 1)
    where object_type like 'cursor:%'
      and tenant_id in (select id from tenants where crm = 'salesforce')`.execute(db);
}
