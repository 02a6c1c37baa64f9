import type { Kysely } from 'kysely';
import { createHubSpotTask } from '../connectors/hubspot/create-task.ts';
import type { HubSpotConnector } from '../connectors/hubspot/hubspot-connector.ts';
import type { HubSpotCardApiDeps } from '../http/hubspot-cards/deps.ts';
import type { Logger } from '../logging/logger.ts';
import { markScoresWritten, pendingScoreWrites, scoreRecords } from '../scoring/index.ts';
import type { Database, ObjectType } from '../store/schema.ts';
import { findTenant } from '../tenants/tenant-repository.ts';
import { createCardReader, ownsLiveRecord } from '../use-cases/read-card.ts';
import { snoozeAction } from '../use-cases/snooze.ts';
import { readCardSettings, writeCardSettings } from './card-settings.ts';

const OBJECT: Record<'deals' | 'contacts' | 'companies', ObjectType> = { deals: 'deal', contacts: 'contact', companies: 'company' };

export interface StoreCardDepsOptions {
  db: Kysely<Database>;
  clientSecret: string;
  publicBaseUrl?: string;
  logger?: Logger;
  /** The connector of an installed tenant (tokens, limits and retries included). */
  connectorFor: (tenantId: string) => Promise<HubSpotConnector>;
  /** The moment scoring treats as now: the wall clock in production, a sandbox portal's fixed "now" in the demo. */
  scoringNow?: () => Date;
}

/** The card API's backend: card data from the store, actions through the HubSpot connector, settings in the tenant row. */
export function createStoreCardDeps(options: StoreCardDepsOptions): HubSpotCardApiDeps {
  const { db } = options;
  const scoringNow = options.scoringNow ?? (() => new Date());
  const cards = createCardReader(db, () => scoringNow().toISOString().slice(0, 10));

  const exists = (tenantId: string, objectType: ObjectType, id: string) => ownsLiveRecord(db, tenantId, objectType, id);

  return {
    clientSecret: options.clientSecret,
    ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    async resolveTenant(portalId) {
      const tenant = await findTenant(db, 'hubspot', portalId);
      return tenant && tenant.status === 'active' ? { tenantId: tenant.id } : null;
    },
    cards,
    actions: {
      async createTask(tenantId, objectType, id, payload) {
        const type = OBJECT[objectType];
        if (!(await exists(tenantId, type, id))) return null;
        const connector = await options.connectorFor(tenantId);
        const taskId = await connector.api.call('standard', (client) =>
          createHubSpotTask(client, type, id, { title: payload.title, dueDate: payload.dueDate, body: 'Suggested by Closewise.' }),
        );
        return { taskId };
      },
      async rescore(tenantId, objectType, id) {
        if (!(await exists(tenantId, OBJECT[objectType], id))) return false;
        const now = scoringNow();
        // Only this record: a rep is waiting, and hubspot.fetch gives up after 15 s.
        await scoreRecords(db, tenantId, { now, objectType: OBJECT[objectType], externalIds: [id] });
        const writes = await pendingScoreWrites(db, tenantId);
        if (writes.length) {
          const connector = await options.connectorFor(tenantId);
          const result = await connector.writeScores(writes);
          const failed = new Set(result.failed.map((f) => f.externalId));
          await markScoresWritten(
            db,
            tenantId,
            writes.filter((w) => !failed.has(w.externalId)),
            now,
          );
        }
        return true;
      },
      snooze: (tenantId, objectType, id, snooze) => snoozeAction(db, tenantId, OBJECT[objectType], id, snooze.actionId, snooze.until),
    },
    settings: {
      read: (tenantId) => readCardSettings(db, tenantId),
      write: (tenantId, values) => writeCardSettings(db, tenantId, values),
    },
  };
}
