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

/**
 * The CRM's display labels of one field's values (HubSpot enumeration options, Salesforce picklist values),
 * keyed by the canonical field the records carry (`industry`, `lifecycle`, `custom:<name>`), with values as
 * the records hold them after mapping.
 */
export interface FieldOptions {
  objectType: ObjectType;
  field: string;
  options: { value: string; label: string }[];
}

/**
 * Someone other than Closewise (a workflow, an import, a person, another app) changed one of Closewise's
 * properties on a record after Closewise wrote it; the CRM's property history says who and when.
 */
export interface OutsideEdit {
  objectType: ObjectType;
  externalId: string;
  /** The CRM's name of the property. */
  property: string;
  /** The value the other source left (null: cleared). */
  value: string | null;
  sourceType: string;
  sourceId: string | null;
  changedAt: Date;
}

/** What the sync writes into; the store implements it, scoped to one tenant. */
export interface SyncSink {
  records(records: NeutralRecord[]): Promise<void>;
  activities(activities: NeutralActivity[]): Promise<void>;
  associations(associations: NeutralAssociation[]): Promise<void>;
  /**
   * The records' outgoing associations as the CRM lists them now, replacing the stored ones (a refresh after
   * an association was removed must drop it; `associations` only adds). Optional: a sink without it only adds.
   */
  replaceAssociations?(fromType: string, fromIds: string[], associations: NeutralAssociation[]): Promise<void>;
  customFields(fields: CustomFieldInfo[]): Promise<void>;
  /** The labels of enumeration values; optional: a sink without it (tests of one run) shows raw values. */
  fieldOptions?(options: FieldOptions[]): Promise<void>;
  stages(stages: NeutralStage[]): Promise<void>;
  /** Marks records the CRM deleted as archived (kept with their history, never hard-deleted); unknown ids are ignored. */
  archive(objectType: ObjectType, externalIds: string[]): Promise<void>;
  /** The same for activities (engagements) the CRM deleted: kept, marked archived, no longer scored; unknown ids are ignored. */
  archiveActivities(kind: ActivityKind, externalIds: string[]): Promise<void>;
  /**
   * Records whose Closewise values the CRM no longer holds because someone else edited them: their scores are
   * due to be written again (the write-back then repairs them), and the edits are kept for `closewise status`.
   * Optional: a sink without it (tests of one run) only loses the repair.
   */
  outsideEdits?(edits: OutsideEdit[]): Promise<void>;
  /**
   * Mid-sync position (the whole cursor map, replacing the last one), called only after the data it covers is
   * in the sink: a sync killed after a checkpoint resumes there when these cursors are passed to the next run.
   * Optional: a sink without it (tests of one run) just loses the position if the run dies.
   */
  checkpoint?(cursors: SyncCursors): Promise<void>;
}

/** A connector's opaque sync position: keys and values are the connector's own; callers store and pass them back whole. */
export type SyncCursors = Record<string, string>;

export interface SyncOptions {
  /** The `nextCursors` (or last checkpoint) of the previous run; none: a full read. */
  cursors?: SyncCursors;
  onProgress?: SyncProgress;
}

export type SyncProgress = (step: { objectType: string; fetched: number; total?: number }) => void;

export interface SyncResult {
  counts: Record<string, number>;
  /** The whole cursor map for the next run (replaces the previous one); pass it back as `cursors`. */
  nextCursors: SyncCursors;
  /**
   * Set when the CRM's API allowance stopped the run before it read everything: the cursors cover what was
   * read, and a run after `resumeAt` continues from them. Not an error: retrying sooner only spends more.
   */
  stoppedEarly?: { resumeAt: Date; message: string };
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
  /** Records whose Closewise values in the CRM already equal these: nothing was sent for them. */
  unchanged: number;
  failed: { externalId: string; message: string }[];
}

/** What install found: Closewise's properties/fields it created, and those already there. */
export interface InstallReport {
  created: string[];
  unchanged: string[];
}

/** A task Closewise suggests, created in the CRM on the record it is about. */
export interface NewCrmTask {
  title: string;
  /** YYYY-MM-DD. */
  dueDate: string;
  body?: string;
  /**
   * The CRM's id of the user who asked for the task (HubSpot: the `userId` of the signed card request). The
   * connector assigns the task to that user's owner record; without one (or without a user) it stays unassigned.
   */
  requestedByUserId?: string;
}

export interface CreatedCrmTask {
  id: string;
  /** The CRM owner the task was assigned to; null when it is unassigned. */
  ownerId: string | null;
}

/**
 * Built only by connectors/registry.ts (from a tenant's stored credentials and the runtime's settings).
 * Failures are typed errors (connectors/errors.ts and errors/errors.ts), classified by each connector.
 */
export interface CrmConnector {
  readonly crm: CrmKind;
  /** Creates (HubSpot) or checks (Salesforce) Closewise's custom properties/fields; safe to run again. */
  install(): Promise<InstallReport>;
  /**
   * Reads records, activities and associations into the sink: everything without cursors, with them only what
   * changed since (or the rest of an interrupted full read). The caller stores `nextCursors` and checkpoints.
   */
  sync(sink: SyncSink, options?: SyncOptions): Promise<SyncResult>;
  /**
   * Writes scores back in the CRM's batch size, change-only, reporting per-record failures instead of throwing.
   * Throws RateLimitedError when the CRM's allowance ran out mid-way: which records made it is then unknown,
   * so the caller marks none written.
   */
  writeScores(writes: ScoreWrite[], onProgress?: (done: number) => void): Promise<WriteBackResult>;
  /** Reads one record again into the sink (a webhook said it changed); false when the CRM no longer has it. */
  refreshRecord?(sink: SyncSink, objectType: ObjectType, externalId: string): Promise<boolean>;
  /** Creates a task on the record, assigned to the requesting user's owner record when there is one. */
  createTask?(objectType: ObjectType, externalId: string, task: NewCrmTask): Promise<CreatedCrmTask>;
  /** Waits for side effects still in flight (e.g. storing a refreshed token); call before dropping the connector. */
  close?(): Promise<void>;
}
