import type { ActivityKind, CrmKind, ObjectType } from '../store/schema.ts';

/**
 * The one interface every CRM connector implements (connectors/hubspot, connectors/salesforce).
 * Everything above it — sync jobs, scoring, the card API — speaks these neutral shapes only.
 *
 * Neutral property keys: connectors translate their CRM's standard fields to the canonical keys below
 * and pass the customer's custom fields through as `custom:<name>` with their metadata.
 */
export const CANONICAL_KEYS = {
  /** `stage` is the stage id within `pipeline` (see the stages table for order, outcome and probability). */
  deal: ['name', 'amount', 'stage', 'pipeline', 'close_date', 'owner_id', 'closed_at'],
  /** `lifecycle` is one of LIFECYCLE_STAGES. */
  contact: ['name', 'lifecycle', 'became_customer_at', 'job_title', 'lead_status', 'owner_id', 'country'],
  company: ['name', 'industry', 'employees', 'annual_revenue', 'country', 'owner_id'],
} as const;

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist', 'other'] as const;

/** A pipeline stage in neutral terms. */
export interface NeutralStage {
  pipelineId: string;
  stageId: string;
  label: string;
  displayOrder: number;
  probability: number | null;
  outcome: StageOutcome;
}

/** Where a deal's stage sits: still open, or closed as won or lost. */
export type StageOutcome = 'open' | 'won' | 'lost';

export interface NeutralRecord {
  objectType: ObjectType;
  externalId: string;
  createdAt: Date | null;
  updatedAt: Date | null;
  archived: boolean;
  /** Canonical keys (CANONICAL_KEYS) and `custom:<name>` keys; values as strings like the CRMs send them. */
  properties: Record<string, string | null>;
  /** Time-stamped values (canonical keys) of properties that change over a record's life: stage, lifecycle, amount, close_date. */
  history: { property: string; value: string | null; changedAt: Date }[];
}

export interface NeutralActivity {
  kind: ActivityKind;
  externalId: string;
  occurredAt: Date;
  direction: 'inbound' | 'outbound' | null;
  properties: Record<string, string | null>;
}

export interface NeutralAssociation {
  fromType: string;
  fromId: string;
  toType: string;
  toId: string;
}

/** Metadata of a customer's custom field, so models type it right and admins can exclude it. */
export interface CustomFieldInfo {
  objectType: ObjectType;
  name: string;
  label: string;
  valueType: 'number' | 'string' | 'enumeration' | 'date' | 'bool';
  options?: string[];
}

/** What the sync writes into; the store implements it, scoped to one tenant. */
export interface SyncSink {
  records(records: NeutralRecord[]): Promise<void>;
  activities(activities: NeutralActivity[]): Promise<void>;
  associations(associations: NeutralAssociation[]): Promise<void>;
  customFields(fields: CustomFieldInfo[]): Promise<void>;
  stages(stages: NeutralStage[]): Promise<void>;
  /** Marks records the CRM deleted as archived (kept with their history, never hard-deleted); unknown ids are ignored. */
  archive(objectType: ObjectType, externalIds: string[]): Promise<void>;
  /** The same for activities (engagements) the CRM deleted: kept, marked archived, no longer scored; unknown ids are ignored. */
  archiveActivities(kind: ActivityKind, externalIds: string[]): Promise<void>;
}

export type SyncProgress = (step: { objectType: string; fetched: number; total?: number }) => void;

export interface SyncResult {
  counts: Record<string, number>;
  /** Opaque per-object cursors for the next incremental sync. */
  nextCursors: Record<string, string>;
}

/** Closewise's outputs on a record, in neutral names; each connector maps them to its property or field names. */
/** Probabilities are 0..1 here; each connector formats them for its CRM (HubSpot: percent with one decimal). */
export interface ScoreFields {
  winProbability?: number;
  dealScore?: 1 | 2 | 3 | 4 | 5;
  likelihoodToClose?: number;
  priority?: 'very_high' | 'high' | 'medium' | 'low';
  leadGrade?: string;
  engagementLevel?: 'high' | 'medium' | 'lonely';
  trend?: 'up' | 'steady' | 'down';
  topReasons?: string;
  nextAction?: string;
  scoredAt?: Date;
}

export interface ScoreWrite {
  objectType: ObjectType;
  externalId: string;
  fields: ScoreFields;
}

export interface WriteBackResult {
  written: number;
  failed: { externalId: string; message: string }[];
}

export interface CrmConnector {
  readonly crm: CrmKind;
  /** Creates Closewise's custom properties/fields in the CRM; safe to run again. */
  install(): Promise<void>;
  /** Reads records, activities and associations into the sink; with cursors only what changed since. */
  sync(sink: SyncSink, options?: { cursors?: Record<string, string>; onProgress?: SyncProgress }): Promise<SyncResult>;
  /** Writes scores back in the CRM's batch size, reporting per-record failures instead of throwing. */
  writeScores(writes: ScoreWrite[], onProgress?: (done: number) => void): Promise<WriteBackResult>;
}
