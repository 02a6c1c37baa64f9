import type { Kysely } from 'kysely';
import type { ConnectorRegistry } from '../connectors/registry.ts';
import type { HubSpotCardApiDeps } from '../http/hubspot-cards/deps.ts';
import type { Logger } from '../logging/logger.ts';
import type { Database, ObjectType } from '../store/schema.ts';
import { findTenant } from '../tenants/tenant-repository.ts';
import { createSuggestedTask, rescoreScope, type UseCaseDeps } from '../use-cases/index.ts';
import { createCardReader, ownsLiveRecord } from '../use-cases/read-card.ts';
import { snoozeAction } from '../use-cases/snooze.ts';
import { readCardSettings, writeCardSettings } from './card-settings.ts';

const OBJECT: Record<'deals' | 'contacts' | 'companies', ObjectType> = { deals: 'deal', contacts: 'contact', companies: 'company' };

export interface StoreCardDepsOptions {
  db: Kysely<Database>;
  clientSecret: string;
  publicBaseUrl?: string;
  logger?: Logger;
  /** Builds an installed tenant's connector (tokens, limits and retries included). */
  connectors: ConnectorRegistry;
  /** The moment scoring treats as now: the wall clock in production, a sandbox portal's fixed "now" in the demo. */
  scoringNow?: () => Date;
}

/** The card API's backend: card data from the store, actions through the HubSpot connector, settings in the tenant row. */
export function createStoreCardDeps(options: StoreCardDepsOptions): HubSpotCardApiDeps {
  const { db } = options;
  const scoringNow = options.scoringNow ?? (() => new Date());
  const cards = createCardReader(db, () => scoringNow().toISOString().slice(0, 10));

  const exists = (tenantId: string, objectType: ObjectType, id: string) => ownsLiveRecord(db, tenantId, objectType, id);
  const useCases: UseCaseDeps = { db, connectors: options.connectors };

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
        const task = await createSuggestedTask(
          useCases,
          tenantId,
          { objectType: type, externalId: id },
          {
            title: payload.title,
            dueDate: payload.dueDate,
            body: 'Suggested by Closewise.',
            ...(payload.userId ? { requestedByUserId: payload.userId } : {}),
          },
        );
        // Only a request that named its user can say whether the task is theirs.
        return { taskId: task.id, ...(payload.userId ? { assignedToYou: task.ownerId !== null } : {}) };
      },
      async rescore(tenantId, objectType, id) {
        if (!(await exists(tenantId, OBJECT[objectType], id))) return false;
        // Only this record: a rep is waiting, and hubspot.fetch gives up after 15 s. A write HubSpot refused
        // stays pending (the card shows the new score from the store either way; the write-back job retries).
        await rescoreScope(
          useCases,
          tenantId,
          { kind: 'records', objectType: OBJECT[objectType], externalIds: [id] },
          { now: scoringNow() },
        );
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
