import type { Kysely } from 'kysely';
import type { ActivityKind, Database, ObjectType } from '../store/schema.ts';
import { type ActivityRow, selectLiveActivities } from '../store/tables/activities.ts';
import { type AssociationRow, selectAssociations } from '../store/tables/associations.ts';
import { type CrmRecordRow, selectLiveRecords } from '../store/tables/crm-records.ts';
import { type CustomFieldRow, selectCustomFields } from '../store/tables/custom-fields.ts';
import { type FieldOptionsRow, selectFieldOptions } from '../store/tables/field-options.ts';
import { type PropertyHistoryRow, selectPropertyHistory } from '../store/tables/property-history.ts';
import { type StageRow, selectStages } from '../store/tables/stages.ts';
import { readScoringSettings, type ScoringSettings } from './settings.ts';
import { type ValueLabels, valueLabelsFrom } from './value-labels.ts';
import { QualityLog } from './values.ts';

/** One tenant's store contents, indexed in memory for point-in-time feature computation. */
export interface HistoryPoint {
  value: string | null;
  at: number;
}

export interface TenantRecord {
  type: ObjectType;
  id: string;
  key: string;
  createdAt: number | null;
  updatedAt: number | null;
  properties: Record<string, string | null>;
  /** Time-stamped values per property, oldest first. */
  history: Map<string, HistoryPoint[]>;
}

export interface TenantActivity {
  kind: ActivityKind;
  id: string;
  at: number;
  direction: 'inbound' | 'outbound' | null;
  /** When the activity was logged or scheduled, if the CRM said so; scheduled activities count as known only from then. */
  createdAt: number | null;
  /** A meeting's outcome as the CRM states it (HubSpot: COMPLETED, NO_SHOW, CANCELED, ...), else null. */
  outcome: string | null;
}

export interface StageInfo {
  pipelineId: string;
  stageId: string;
  label: string;
  order: number;
  probability: number | null;
  outcome: 'open' | 'won' | 'lost';
  /** 0..1: where the stage sits among the pipeline's open stages (closed stages: 1). */
  position: number;
}

export interface CustomField {
  objectType: ObjectType;
  name: string;
  label: string;
  valueType: 'number' | 'string' | 'enumeration' | 'date' | 'bool';
}

export interface TenantData {
  tenantId: string;
  settings: ScoringSettings;
  deals: TenantRecord[];
  contacts: TenantRecord[];
  companies: TenantRecord[];
  records: Map<string, TenantRecord>;
  stages: Map<string, StageInfo>;
  stagesByPipeline: Map<string, StageInfo[]>;
  /** Activities per record key, sorted by time. */
  activities: Map<string, TenantActivity[]>;
  /** Associated record keys per record key (both directions). */
  links: Map<string, Set<string>>;
  customFields: CustomField[];
  /** The CRM's labels of enumeration values, for reasons. */
  valueLabels?: ValueLabels;
  quality: QualityLog;
}

export const recordKey = (type: string, id: string): string => `${type}:${id}`;
export const stageKey = (pipelineId: string, stageId: string): string => `${pipelineId}\u0000${stageId}`;

const ACTIVITY_KINDS: ReadonlySet<string> = new Set(['email', 'call', 'meeting', 'note', 'task']);
const RECORD_TYPES: ReadonlySet<string> = new Set(['contact', 'company', 'deal']);

const toMs = (value: Date | string | null): number | null => {
  if (value === null) return null;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
};

/** The store rows a TenantData is indexed from: a whole tenant's, or one scope's (store/reads/record-scope.ts). */
export interface TenantRows {
  records: CrmRecordRow[];
  history: PropertyHistoryRow[];
  activities: ActivityRow[];
  associations: AssociationRow[];
  stages: StageRow[];
  customFields: CustomFieldRow[];
  /** Absent: reasons show raw enumeration values. */
  fieldOptions?: FieldOptionsRow[];
}

export async function loadTenantData(db: Kysely<Database>, tenantId: string): Promise<TenantData> {
  const settings = await readScoringSettings(db, tenantId);
  const [records, history, activities, associations, stages, customFields, fieldOptions] = await Promise.all([
    selectLiveRecords(db, tenantId),
    selectPropertyHistory(db, tenantId),
    selectLiveActivities(db, tenantId),
    selectAssociations(db, tenantId),
    selectStages(db, tenantId),
    selectCustomFields(db, tenantId),
    selectFieldOptions(db, tenantId),
  ]);
  return tenantDataFromRows(tenantId, settings, { records, history, activities, associations, stages, customFields, fieldOptions });
}

/**
 * Indexes store rows for scoring. Given one scope's rows (some records, the records they are associated
 * with, and the rows those touch), the scope's records read exactly as they do in the whole tenant's data.
 */
export function tenantDataFromRows(tenantId: string, settings: ScoringSettings, rows: TenantRows): TenantData {
  const { records, byType } = indexRecords(rows.records, rows.history);
  const { stages, stagesByPipeline } = indexStages(rows.stages);
  return {
    tenantId,
    settings,
    // Deals of pipelines the admin excluded are neither trained on nor scored.
    deals: byType.deal.filter((deal) => !settings.excludedPipelines.includes(deal.properties['pipeline'] ?? '')),
    contacts: byType.contact,
    companies: byType.company,
    records,
    stages,
    stagesByPipeline,
    ...linkRecords(rows.associations, indexActivities(rows.activities)),
    customFields: rows.customFields.map((row) => ({
      objectType: row.object_type,
      name: row.name,
      label: row.label,
      valueType: row.value_type,
    })),
    valueLabels: valueLabelsFrom(rows.fieldOptions ?? []),
    quality: new QualityLog(),
  };
}

/** Records by key and by type, each with its property history (rows arrive oldest first). */
function indexRecords(recordRows: CrmRecordRow[], historyRows: PropertyHistoryRow[]) {
  const records = new Map<string, TenantRecord>();
  const byType: Record<ObjectType, TenantRecord[]> = { deal: [], contact: [], company: [] };
  for (const row of recordRows) {
    const key = recordKey(row.object_type, row.external_id);
    const record: TenantRecord = {
      type: row.object_type,
      id: row.external_id,
      key,
      createdAt: toMs(row.created_at),
      updatedAt: toMs(row.updated_at),
      properties: row.properties ?? {},
      history: new Map(),
    };
    records.set(key, record);
    byType[row.object_type]?.push(record);
  }
  for (const row of historyRows) {
    const record = records.get(recordKey(row.object_type, row.external_id));
    const at = toMs(row.changed_at);
    if (!record || at === null) continue;
    const points = record.history.get(row.property) ?? [];
    points.push({ value: row.value, at });
    record.history.set(row.property, points);
  }
  return { records, byType };
}

/** Activities by `kind:id` and by bare id (an association may name either). */
function indexActivities(activityRows: ActivityRow[]) {
  const byKey = new Map<string, TenantActivity>();
  const byId = new Map<string, TenantActivity[]>();
  for (const row of activityRows) {
    const at = toMs(row.occurred_at);
    if (at === null) continue;
    const props = row.properties ?? {};
    const activity: TenantActivity = {
      kind: row.kind,
      id: row.external_id,
      at,
      direction: row.direction,
      createdAt: toMs(props['created_at'] ?? null),
      outcome: props['outcome'] ?? null,
    };
    byKey.set(recordKey(row.kind, row.external_id), activity);
    const same = byId.get(row.external_id) ?? [];
    same.push(activity);
    byId.set(row.external_id, same);
  }
  return { byKey, byId };
}

/** Record links (both directions) and each record's activities in time order, from the association rows. */
function linkRecords(associationRows: AssociationRow[], activityIndex: ReturnType<typeof indexActivities>) {
  const links = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    const set = links.get(a) ?? new Set<string>();
    set.add(b);
    links.set(a, set);
  };
  const activityLinks = new Map<string, Set<TenantActivity>>();
  const linkActivity = (target: string, activities: TenantActivity[]) => {
    const set = activityLinks.get(target) ?? new Set<TenantActivity>();
    for (const activity of activities) set.add(activity);
    activityLinks.set(target, set);
  };
  for (const row of associationRows) {
    const from = recordKey(row.from_type, row.from_id);
    const to = recordKey(row.to_type, row.to_id);
    if (RECORD_TYPES.has(row.from_type) && RECORD_TYPES.has(row.to_type)) {
      link(from, to);
      link(to, from);
      continue;
    }
    // Activity associations may be stored as kind→record, 'activity'→record, or the reverse.
    const [activitySide, recordSide] = RECORD_TYPES.has(row.to_type) ? [row, to] : [{ from_type: row.to_type, from_id: row.to_id }, from];
    const found = ACTIVITY_KINDS.has(activitySide.from_type)
      ? [activityIndex.byKey.get(recordKey(activitySide.from_type, activitySide.from_id))].filter(
          (a): a is TenantActivity => a !== undefined,
        )
      : (activityIndex.byId.get(activitySide.from_id) ?? []);
    linkActivity(recordSide, found);
  }
  const activities = new Map<string, TenantActivity[]>();
  for (const [key, set] of activityLinks)
    activities.set(
      key,
      [...set].sort((a, b) => a.at - b.at),
    );
  return { links, activities };
}

/** Stages by key and by pipeline in display order, each with its position among the pipeline's open stages. */
function indexStages(stageRows: StageRow[]) {
  const stages = new Map<string, StageInfo>();
  const stagesByPipeline = new Map<string, StageInfo[]>();
  for (const row of stageRows) {
    const list = stagesByPipeline.get(row.pipeline_id) ?? [];
    list.push({
      pipelineId: row.pipeline_id,
      stageId: row.stage_id,
      label: row.label,
      order: row.display_order,
      probability: row.probability,
      outcome: row.outcome,
      position: 1,
    });
    stagesByPipeline.set(row.pipeline_id, list);
  }
  for (const list of stagesByPipeline.values()) {
    list.sort((a, b) => a.order - b.order);
    const open = list.filter((s) => s.outcome === 'open');
    open.forEach((stage, index) => {
      stage.position = open.length <= 1 ? 0 : index / (open.length - 1);
    });
    for (const stage of list) stages.set(stageKey(stage.pipelineId, stage.stageId), stage);
  }
  return { stages, stagesByPipeline };
}

/** Associated records of a type that existed at `t` (associations carry no time; creation does). */
export function linkedAt(data: TenantData, key: string, type: ObjectType, t: number): TenantRecord[] {
  const out: TenantRecord[] = [];
  for (const other of data.links.get(key) ?? []) {
    const record = data.records.get(other);
    if (record && record.type === type && (record.createdAt === null || record.createdAt <= t)) out.push(record);
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
