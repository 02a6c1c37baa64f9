import { Client } from '@hubspot/api-client';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { hubSpotBudgetKey, limitHubSpotClient } from '../hubspot-budget.ts';
import type { RateBudget } from '../rate-budget.ts';
import type { JobHandler } from '../registry.ts';
import { VERSION_PROPERTY } from './rescore-handler.ts';

export interface WriteBackHandlerOptions {
  db: Kysely<Database>;
  sandboxUrl: string;
  token: string;
  budget: RateBudget;
}

/**
 * One shard of a portal's pending score writes, written in HubSpot batches of 100 through the real SDK and
 * the portal's shared budget, each batch marked written in the store once HubSpot accepted it.
 * Shards split the records by a hash of their id, so several workers write one portal at once.
 */
export function createWriteBackHandler(options: WriteBackHandlerOptions): JobHandler<'write-back'> {
  const { db } = options;
  return async ({ tenantId, shard, shards }, { signal }) => {
    const tenant = await db.selectFrom('tenants').select('external_id').where('id', '=', tenantId).executeTakeFirstOrThrow();
    const client = limitHubSpotClient(
      new Client({ accessToken: options.token, basePath: options.sandboxUrl, numberOfApiCallRetries: 3 }),
      options.budget,
      hubSpotBudgetKey(tenant.external_id),
      signal,
    );
    for (;;) {
      const pending = await db
        .selectFrom('scores')
        .select(['external_id', sql<string>`details ->> 'version'`.as('version')])
        .where('tenant_id', '=', tenantId)
        .where('object_type', '=', 'contact')
        .where('written_back_at', 'is', null)
        .where(sql<boolean>`mod(hashtext(external_id)::bigint + 2147483648, ${shards}) = ${shard}`)
        .orderBy('external_id')
        .limit(100)
        .execute();
      if (pending.length === 0) return;
      await client.crm.contacts.batchApi.update({
        inputs: pending.map((p) => ({ id: p.external_id, properties: { [VERSION_PROPERTY]: p.version } })),
      });
      await db
        .updateTable('scores')
        .set({ written_back_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('object_type', '=', 'contact')
        .where(
          'external_id',
          'in',
          pending.map((p) => p.external_id),
        )
        .execute();
    }
  };
}
