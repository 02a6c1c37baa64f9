import { Client } from '@hubspot/api-client';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { hubSpotBudgetKey, limitHubSpotClient } from '../hubspot-budget.ts';
import type { RateBudget } from '../rate-budget.ts';
import type { JobHandler } from '../registry.ts';

/** The CRM property the test's rescoring writes: the model version the portal's scores came from. */
export const VERSION_PROPERTY = 'closewise_model_version';

export interface RescoreHandlerOptions {
  db: Kysely<Database>;
  sandboxUrl: string;
  token: string;
  budget: RateBudget;
  /** Pause between reading and writing, and after writing, so a kill lands mid-job. */
  pauseMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A small real rescoring: reads the portal's active model version and its contacts from the store, writes
 * the version to each contact in the HubSpot sandbox through the real SDK (only where it differs, which is
 * what makes a retried job write nothing twice), then records the scores as written in the store.
 */
export function createRescoreHandler(options: RescoreHandlerOptions): JobHandler<'rescore'> {
  const { db } = options;
  return async ({ tenantId }) => {
    const tenant = await db.selectFrom('tenants').select('external_id').where('id', '=', tenantId).executeTakeFirstOrThrow();
    const model = await db
      .selectFrom('models')
      .select(['id', 'version'])
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    const records = await db
      .selectFrom('crm_records')
      .select('external_id')
      .where('tenant_id', '=', tenantId)
      .where('object_type', '=', 'contact')
      .execute();
    const client = limitHubSpotClient(
      new Client({ accessToken: options.token, basePath: options.sandboxUrl, numberOfApiCallRetries: 3 }),
      options.budget,
      hubSpotBudgetKey(tenant.external_id),
    );
    const version = String(model.version);
    const current = await client.crm.contacts.batchApi.read({
      inputs: records.map((r) => ({ id: r.external_id })),
      properties: [VERSION_PROPERTY],
      propertiesWithHistory: [],
    });
    const stale = current.results.filter((r) => r.properties[VERSION_PROPERTY] !== version);
    await sleep(options.pauseMs);
    if (stale.length > 0) {
      await client.crm.contacts.batchApi.update({ inputs: stale.map((r) => ({ id: r.id, properties: { [VERSION_PROPERTY]: version } })) });
    }
    await sleep(options.pauseMs);
    for (const record of records) {
      await db
        .insertInto('scores')
        .values({
          tenant_id: tenantId,
          object_type: 'contact',
          external_id: record.external_id,
          score_kind: 'likelihood_to_close',
          model_id: model.id,
          probability: 0.5,
          details: JSON.stringify({ version }),
          scored_at: sql<Date>`now()`,
          written_back_at: sql<Date>`now()`,
        })
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'object_type', 'external_id', 'score_kind'])
            .doUpdateSet({ model_id: model.id, written_back_at: sql<Date>`now()` }),
        )
        .execute();
    }
  };
}
