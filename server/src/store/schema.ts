import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { FeatureSpec } from '../ml/index.ts';
import type { StoredCard } from './columns/model-card.ts';
import type { ScoreDetails } from './columns/score-details.ts';
import type { TenantSettings } from './columns/tenant-settings.ts';
import type { JobRateGrantsTable, JobRunsTable, SalesforceApiKeysTable } from './jobs-schema.ts';

/**
 * Row types of the store. Every table but `tenants` is keyed by tenant first: no query can forget it.
 * JSON columns carry the output type of their zod schema (store/columns/): the table modules parse what
 * they read through it, so the type is earned, not assumed.
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T extends object | null = Record<string, unknown>> = JSONColumnType<T>;
type TenantStatus = 'active' | 'disabled';

export type CrmKind = 'hubspot' | 'salesforce';
export type ObjectType = 'contact' | 'company' | 'deal';
export type ActivityKind = 'email' | 'call' | 'meeting' | 'note' | 'task';

export interface TenantsTable {
  id: string;
  crm: CrmKind;
  external_id: string;
  name: string;
  status: ColumnType<TenantStatus, TenantStatus | undefined, TenantStatus>;
  auth_mode: 'oauth' | 'private_app';
  /** AES-256-GCM ciphertext of the token set; never the plain tokens. */
  token_ciphertext: string | null;
  token_expires_at: Timestamp | null;
  settings: Json<TenantSettings>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface CrmRecordsTable {
  tenant_id: string;
  object_type: ObjectType;
  external_id: string;
  properties: Json<Record<string, string | null>>;
  created_at: Timestamp | null;
  updated_at: Timestamp | null;
  archived: boolean;
}

export interface PropertyHistoryTable {
  tenant_id: string;
  object_type: ObjectType;
  external_id: string;
  property: string;
  value: string | null;
  changed_at: Timestamp;
}

export interface ActivitiesTable {
  tenant_id: string;
  kind: ActivityKind;
  external_id: string;
  occurred_at: Timestamp;
  direction: 'inbound' | 'outbound' | null;
  properties: Json<Record<string, string | null>>;
  /** Deleted in the CRM: kept, but no longer read for scoring. */
  archived: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface AssociationsTable {
  tenant_id: string;
  from_type: string;
  from_id: string;
  to_type: string;
  to_id: string;
}

export interface ModelsTable {
  id: Generated<number>;
  tenant_id: string;
  target: string;
  version: number;
  status: 'active' | 'candidate' | 'retired';
  trained_at: Timestamp;
  metrics: Json;
  card: Json<StoredCard>;
  feature_spec: Json<FeatureSpec>;
  onnx: Uint8Array;
}

export interface ScoresTable {
  tenant_id: string;
  object_type: ObjectType;
  external_id: string;
  score_kind: string;
  model_id: number | null;
  probability: number;
  details: Json<ScoreDetails>;
  scored_at: Timestamp;
  written_back_at: Timestamp | null;
}

export interface SyncStateTable {
  tenant_id: string;
  object_type: string;
  cursor: string | null;
  last_synced_at: Timestamp | null;
}

export interface StagesTable {
  tenant_id: string;
  pipeline_id: string;
  stage_id: string;
  label: string;
  display_order: number;
  /** The CRM's own stage probability (0..1), used for the stage-weighted forecast. */
  probability: number | null;
  outcome: 'open' | 'won' | 'lost';
}

export interface CustomFieldsTable {
  tenant_id: string;
  object_type: ObjectType;
  name: string;
  label: string;
  value_type: 'number' | 'string' | 'enumeration' | 'date' | 'bool';
  options: JSONColumnType<string[]> | null;
}

/** The CRM's labels of a field's enumeration values (migration 016-field-options). */
export interface FieldOptionsTable {
  tenant_id: string;
  object_type: ObjectType;
  /** The canonical key records carry the value under: `industry`, `lifecycle`, `custom:<name>`. */
  field: string;
  options: JSONColumnType<{ value: string; label: string }[]>;
}

/** HubSpot's webhook events, queued before HubSpot gets its 200 (migration 004-webhook-events). */
export interface WebhookEventsTable {
  /** bigserial: int8 arrives as a number (both engines parse it). */
  id: Generated<number>;
  tenant_id: string;
  subscription_id: string;
  event_id: string;
  /** HubSpot's epoch milliseconds (bigint); part of the dedupe key. */
  occurred_at: ColumnType<number, string, string>;
  object_type: ObjectType;
  object_id: string;
  subscription_type: string;
  property_name: string | null;
  /** Other records the event names (a merge's merged-away ids), JSON array of id strings (migration 013). */
  related_ids: ColumnType<string[] | null, string | null | undefined, string | null>;
  status: ColumnType<WebhookEventStatus, WebhookEventStatus | undefined, WebhookEventStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  received_at: ColumnType<Date, Date | string | undefined, Date | string>;
  processed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type WebhookEventStatus = 'pending' | 'done' | 'failed';

/** Who is refreshing a record from its webhook events now (migration 006-webhook-record-leases). */
export interface WebhookRecordLeasesTable {
  tenant_id: string;
  object_type: ObjectType;
  object_id: string;
  holder: string;
  expires_at: Timestamp;
}

/** Property values Closewise last wrote to one CRM record (migration 004): selected as parsed jsonb, inserted as a JSON string. */
export interface CrmWrittenValuesTable {
  tenant_id: string;
  object_type: string;
  external_id: string;
  values: ColumnType<unknown, string, string>;
  written_at: Timestamp;
}

/** One card action key: its claim, then the response replays get (migration 010). */
export interface CardActionKeysTable {
  tenant_id: string;
  action: string;
  object_type: string;
  object_id: string;
  idempotency_key: string;
  fingerprint: string;
  claim_token: string;
  claimed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  response_status: number | null;
  /** The stored response body: selected as parsed jsonb, inserted as a JSON string. */
  response_body: ColumnType<unknown, string | null, string | null>;
  expires_at: Timestamp;
}

/** OAuth state nonces already spent by a callback (migration 010); not keyed by tenant: none exists yet. */
export interface OAuthNoncesTable {
  provider: string;
  nonce: string;
  used_at: ColumnType<Date, Date | string | undefined, never>;
  expires_at: Timestamp;
}

/** Edits of Closewise's CRM properties by others, found by the sync (migration 012-crm-outside-edits). */
export interface CrmApiPausesTable {
  tenant_id: string;
  resume_at: Timestamp;
  reason: string;
  paused_at: Timestamp;
}

export interface CrmOutsideEditsTable {
  tenant_id: string;
  object_type: ObjectType;
  external_id: string;
  /** The CRM's property name. */
  property: string;
  /** What the other source set (null: cleared). */
  value: string | null;
  /** The CRM's name for who made it (HubSpot: CRM_UI, IMPORT, AUTOMATION_PLATFORM, INTEGRATION, …). */
  source_type: string;
  source_id: string | null;
  changed_at: Timestamp;
  detected_at: Timestamp;
  repaired_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Tombstones of records erased for privacy: a hash of the id only (migration 013-record-erasure). */
export interface ErasedRecordsTable {
  tenant_id: string;
  object_type: ObjectType;
  /** SHA-256 hex of `tenant/type/id` (store/tables/erased-records.ts). */
  id_hash: string;
  erased_at: Timestamp;
}

/** Each tenant's portal context from its last full scoring run (migration 015-portal-contexts). */
export interface PortalContextsTable {
  tenant_id: string;
  /** The context's shape version (PORTAL_CONTEXT_FORMAT); another format is never read as this one. */
  format: number;
  computed_at: Timestamp;
  /** Selected as parsed jsonb, inserted as a JSON string; parsed through store/columns/portal-context.ts. */
  context: ColumnType<unknown, string, string>;
}

export interface Database {
  tenants: TenantsTable;
  crm_records: CrmRecordsTable;
  property_history: PropertyHistoryTable;
  activities: ActivitiesTable;
  associations: AssociationsTable;
  models: ModelsTable;
  scores: ScoresTable;
  sync_state: SyncStateTable;
  stages: StagesTable;
  custom_fields: CustomFieldsTable;
  job_runs: JobRunsTable;
  job_rate_grants: JobRateGrantsTable;
  salesforce_api_keys: SalesforceApiKeysTable;
  webhook_events: WebhookEventsTable;
  webhook_record_leases: WebhookRecordLeasesTable;
  crm_written_values: CrmWrittenValuesTable;
  card_action_keys: CardActionKeysTable;
  oauth_nonces: OAuthNoncesTable;
  crm_outside_edits: CrmOutsideEditsTable;
  erased_records: ErasedRecordsTable;
  crm_api_pauses: CrmApiPausesTable;
  portal_contexts: PortalContextsTable;
  field_options: FieldOptionsTable;
}
