import type { Kysely } from 'kysely';
import type { SyncSink } from '../connectors/connector.ts';
import type { SalesforceOAuthConfig } from '../connectors/salesforce/oauth-flow.ts';
import type { SalesforceConnector } from '../connectors/salesforce/salesforce-connector.ts';
import type { SalesforceSyncResult } from '../connectors/salesforce/sync.ts';
import { salesforceConnectorForTenant } from '../connectors/salesforce/tenant-connector.ts';
import { ConfigError } from '../errors/errors.ts';
import type { Database } from '../store/schema.ts';
import type { Tenant } from '../tenants/tenant-repository.ts';

/** What the jobs need to reach installed Salesforce orgs (from SALESFORCE_* in config/config.ts). */
export interface SalesforceJobSettings {
  /** The connected app: jsforce refreshes an org's access token with it on a 401 (login URL, client id/secret). */
  oauth: SalesforceOAuthConfig;
  apiVersion?: string;
}

/**
 * The connector of an installed org, from its encrypted tokens in the tenant row (the instance URL is stored
 * with them); a refreshed access token is stored back, encrypted.
 *
 * Salesforce's limit is the org's rolling 24-hour API allowance, not a per-second window, so no RateBudget
 * grant is taken here. What protects the allowance is the connector's ApiBudget: every response carries the
 * org-wide `Sforce-Limit-Info: api-usage=used/limit` (calls by every process and every other integration of
 * the org), each call is checked against it, and a sync or write-back stops before the reserve (10% of the
 * limit) and resumes from its cursors / pending writes in a later run. The budget object lives in one
 * connector, i.e. one job: workers do not coordinate with each other, each only sees the org's counter as of
 * its last response, so N jobs running at once for the same org can overshoot the stop point by the calls
 * they have in flight, and each job's first call goes out before it has seen the counter at all (a few calls
per job, normally far below the reserve, but nothing in Closewise shares the budget across processes).
 */
export function salesforceJobConnector(
  deps: { db: Kysely<Database>; encryptionKey: Buffer; salesforce?: SalesforceJobSettings },
  tenant: Tenant,
): SalesforceConnector {
  if (!deps.salesforce) {
    throw new ConfigError(
      `Salesforce org ${tenant.externalId} cannot be reached by the jobs: set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (the connected app refreshes the org's tokens)`,
    );
  }
  return salesforceConnectorForTenant({
    db: deps.db,
    encryptionKey: deps.encryptionKey,
    tenant,
    oauth: deps.salesforce.oauth,
    ...(deps.salesforce.apiVersion ? { apiVersion: deps.salesforce.apiVersion } : {}),
  });
}

/** sync_state keys of the per-object Salesforce cursors (the table is per tenant; `object_type` holds the key). */
const CURSOR_PREFIX = 'salesforce-cursor:';

export async function loadSalesforceCursors(db: Kysely<Database>, tenantId: string): Promise<Record<string, string>> {
  const rows = await db
    .selectFrom('sync_state')
    .select(['object_type', 'cursor'])
    .where('tenant_id', '=', tenantId)
    .where('object_type', 'like', `${CURSOR_PREFIX}%`)
    .execute();
  const cursors: Record<string, string> = {};
  for (const row of rows) if (row.cursor) cursors[row.object_type.slice(CURSOR_PREFIX.length)] = row.cursor;
  return cursors;
}

export async function saveSalesforceCursors(db: Kysely<Database>, tenantId: string, cursors: Record<string, string>): Promise<void> {
  const now = new Date();
  for (const [object, cursor] of Object.entries(cursors)) {
    await db
      .insertInto('sync_state')
      .values({ tenant_id: tenantId, object_type: `${CURSOR_PREFIX}${object}`, cursor, last_synced_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'object_type']).doUpdateSet({ cursor, last_synced_at: now }))
      .execute();
  }
}

/**
 * One sync run of an org: from the stored cursors (none the first time: a full read), and the cursors it
 * returns stored once the run's rows are in the sink. A run the daily budget stopped still stores its
 * cursors and completes (logged by the caller): retrying within minutes would only spend more of the org's
 * allowance; the next scheduled sync resumes exactly there.
 */
export async function syncSalesforceTenant(
  db: Kysely<Database>,
  tenantId: string,
  connector: SalesforceConnector,
  sink: SyncSink,
): Promise<SalesforceSyncResult> {
  const result = await connector.sync(sink, { cursors: await loadSalesforceCursors(db, tenantId) });
  await saveSalesforceCursors(db, tenantId, result.nextCursors);
  await connector.flushTokenSaves();
  return result;
}
