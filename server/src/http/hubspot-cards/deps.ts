import type {
  CardObjectType,
  CompanyCardData,
  ContactCardData,
  CreateTaskResponse,
  DealCardData,
  SettingsResponse,
  SettingsValues,
} from '@closewise/contract';
import type { Logger } from '../../logging/logger.ts';
import type { IdempotencyStore } from './idempotency.ts';

/**
 * Everything the card API needs from the rest of the backend. The router owns HTTP, signatures,
 * tenancy checks, validation and idempotency; these functions own data and CRM writes.
 * Every function receives the tenant the signed portal resolved to and must only return that tenant's data.
 */
export interface HubSpotCardApiDeps {
  /** The HubSpot app's client secret: the key of the v3 request signature. */
  clientSecret: string;
  /**
   * Public origin HubSpot calls (e.g. https://api.closewise.io). The signature covers the full URL, so behind a
   * proxy or tunnel the origin the request arrives on is not the one HubSpot signed. Default: the request's own.
   */
  publicBaseUrl?: string;
  /** Epoch ms; injectable so tests can sign in the past. */
  now?: () => number;
  logger?: Logger;
  /** Where action keys are claimed and results kept for replays; default: in-process memory (one process only, lost on restart). `serve` and the demo pass the store-backed one. */
  idempotency?: IdempotencyStore;

  /**
   * How long the router remembers a portal → tenant match (default 30 s; 0 = ask every time). Only matches are
   * remembered, so a new install works at once; an uninstall takes effect within this window.
   */
  tenantCacheTtlMs?: number;

  /** The installed tenant for a HubSpot portal id, or null when Closewise is not installed there. */
  resolveTenant(portalId: string): Promise<{ tenantId: string } | null>;

  /** Card data for a record of this tenant, or null when the tenant has no such record. */
  cards: {
    deal(tenantId: string, id: string): Promise<DealCardData | null>;
    contact(tenantId: string, id: string): Promise<ContactCardData | null>;
    company(tenantId: string, id: string): Promise<CompanyCardData | null>;
  };

  actions: {
    /**
     * Creates the task in the CRM, associated with the record. Null when the record is not the tenant's.
     * The idempotency key is passed on so an implementation can also dedupe on the CRM side; the router
     * already guarantees one call per key. `userId` is the HubSpot user who clicked (from the signed URL), when
     * HubSpot named one: the task is theirs (`assignedToYou`), or unassigned when they have no owner record.
     */
    createTask(
      tenantId: string,
      objectType: CardObjectType,
      id: string,
      payload: { actionId: string; title: string; dueDate: string; userId?: string },
      idempotencyKey: string,
    ): Promise<Omit<CreateTaskResponse, 'created'> | null>;
    /** Rescores the record now; false when the record is not the tenant's. The router then reads the card again. */
    rescore(tenantId: string, objectType: CardObjectType, id: string): Promise<boolean>;
    /** Hides a suggested action until the date (YYYY-MM-DD); false when the record is not the tenant's. */
    snooze(tenantId: string, objectType: CardObjectType, id: string, snooze: { actionId: string; until: string }): Promise<boolean>;
  };

  settings: {
    read(tenantId: string): Promise<SettingsResponse>;
    /** Saves validated values and returns the settings as now stored. Throw BadInputError for e.g. an unknown stage id. */
    write(tenantId: string, values: SettingsValues): Promise<SettingsResponse>;
  };
}
