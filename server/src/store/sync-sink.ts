import type { Kysely } from 'kysely';
import type {
  CustomFieldInfo,
  NeutralActivity,
  NeutralAssociation,
  NeutralRecord,
  NeutralStage,
  SyncSink,
} from '../connectors/connector.ts';
import type { ActivityKind, Database, ObjectType } from './schema.ts';
import { replaceOutgoingAssociations } from './tables/associations.ts';
import { recordOutsideEdits } from './tables/crm-outside-edits.ts';
import { selectErasedIds } from './tables/erased-records.ts';
import { upsertFieldOptions } from './tables/field-options.ts';

// PostgreSQL caps bind parameters at 65,535 per statement; rows are inserted in chunks well below it.
const CHUNK = 500;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Last write wins within one batch: PostgreSQL refuses an upsert that touches the same key twice. */
function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

/** Records and their property history in one transaction per batch: a record is never stored without its history. */
async function upsertRecords(db: Kysely<Database>, tenantId: string, records: NeutralRecord[]): Promise<void> {
  for (const batch of chunks(uniqueBy(records, (r) => `${r.objectType}/${r.externalId}`))) {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('crm_records')
        .values(
          batch.map((r) => ({
            tenant_id: tenantId,
            object_type: r.objectType,
            external_id: r.externalId,
            properties: JSON.stringify(r.properties),
            created_at: r.createdAt,
            updated_at: r.updatedAt,
            archived: r.archived,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'object_type', 'external_id']).doUpdateSet((eb) => ({
            properties: eb.ref('excluded.properties'),
            created_at: eb.ref('excluded.created_at'),
            updated_at: eb.ref('excluded.updated_at'),
            archived: eb.ref('excluded.archived'),
          })),
        )
        .execute();
      await upsertPropertyHistory(trx, tenantId, batch);
    });
  }
}

/** The batch's time-stamped values: every sync of a record hands its history over again, so each value is an upsert. */
async function upsertPropertyHistory(trx: Kysely<Database>, tenantId: string, batch: NeutralRecord[]): Promise<void> {
  const history = uniqueBy(
    batch.flatMap((r) => r.history.map((h) => ({ ...h, objectType: r.objectType, externalId: r.externalId }))),
    (h) => `${h.objectType}/${h.externalId}/${h.property}/${h.changedAt.toISOString()}`,
  );
  for (const part of chunks(history)) {
    await trx
      .insertInto('property_history')
      .values(
        part.map((h) => ({
          tenant_id: tenantId,
          object_type: h.objectType,
          external_id: h.externalId,
          property: h.property,
          value: h.value,
          changed_at: h.changedAt,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'object_type', 'external_id', 'property', 'changed_at'])
          .doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      )
      .execute();
  }
}

/**
 * Connectors hand over only activities the CRM lists as live, so a write marks the row live again: that is
 * how an engagement restored in HubSpot comes back. A stale live read (search lagging an archival) cannot
 * undo an archival for long, because each incremental sync reads archivals after the live changes, with
 * the same overlap.
 */
async function upsertActivities(db: Kysely<Database>, tenantId: string, activities: NeutralActivity[]): Promise<void> {
  for (const batch of chunks(uniqueBy(activities, (a) => `${a.kind}/${a.externalId}`))) {
    await db
      .insertInto('activities')
      .values(
        batch.map((a) => ({
          tenant_id: tenantId,
          kind: a.kind,
          external_id: a.externalId,
          occurred_at: a.occurredAt,
          direction: a.direction,
          properties: JSON.stringify(a.properties),
          archived: false,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'kind', 'external_id']).doUpdateSet((eb) => ({
          occurred_at: eb.ref('excluded.occurred_at'),
          direction: eb.ref('excluded.direction'),
          properties: eb.ref('excluded.properties'),
          archived: eb.ref('excluded.archived'),
        })),
      )
      .execute();
  }
}

/** An association is a fact with no attributes: storing it twice changes nothing. */
async function insertAssociations(db: Kysely<Database>, tenantId: string, associations: NeutralAssociation[]): Promise<void> {
  for (const batch of chunks(uniqueBy(associations, (a) => `${a.fromType}/${a.fromId}/${a.toType}/${a.toId}`))) {
    await db
      .insertInto('associations')
      .values(batch.map((a) => ({ tenant_id: tenantId, from_type: a.fromType, from_id: a.fromId, to_type: a.toType, to_id: a.toId })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

async function upsertCustomFields(db: Kysely<Database>, tenantId: string, fields: CustomFieldInfo[]): Promise<void> {
  for (const batch of chunks(uniqueBy(fields, (f) => `${f.objectType}/${f.name}`))) {
    await db
      .insertInto('custom_fields')
      .values(
        batch.map((f) => ({
          tenant_id: tenantId,
          object_type: f.objectType,
          name: f.name,
          label: f.label,
          value_type: f.valueType,
          options: f.options ? JSON.stringify(f.options) : null,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'object_type', 'name']).doUpdateSet((eb) => ({
          label: eb.ref('excluded.label'),
          value_type: eb.ref('excluded.value_type'),
          options: eb.ref('excluded.options'),
        })),
      )
      .execute();
  }
}

/** Deleted in the CRM: kept with their history, marked archived; unknown or already archived ids change nothing. */
async function archiveRecords(db: Kysely<Database>, tenantId: string, objectType: ObjectType, externalIds: string[]): Promise<void> {
  for (const batch of chunks([...new Set(externalIds)])) {
    await db
      .updateTable('crm_records')
      .set({ archived: true })
      .where('tenant_id', '=', tenantId)
      .where('object_type', '=', objectType)
      .where('external_id', 'in', batch)
      .where('archived', '=', false)
      .execute();
  }
}

async function archiveActivities(db: Kysely<Database>, tenantId: string, kind: ActivityKind, externalIds: string[]): Promise<void> {
  for (const batch of chunks([...new Set(externalIds)])) {
    await db
      .updateTable('activities')
      .set({ archived: true })
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', kind)
      .where('external_id', 'in', batch)
      .where('archived', '=', false)
      .execute();
  }
}

/** A portal has a few dozen stages at most: one statement. */
async function upsertStages(db: Kysely<Database>, tenantId: string, stages: NeutralStage[]): Promise<void> {
  if (stages.length === 0) return;
  await db
    .insertInto('stages')
    .values(
      uniqueBy(stages, (s) => `${s.pipelineId}/${s.stageId}`).map((s) => ({
        tenant_id: tenantId,
        pipeline_id: s.pipelineId,
        stage_id: s.stageId,
        label: s.label,
        display_order: s.displayOrder,
        probability: s.probability,
        outcome: s.outcome,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'pipeline_id', 'stage_id']).doUpdateSet((eb) => ({
        label: eb.ref('excluded.label'),
        display_order: eb.ref('excluded.display_order'),
        probability: eb.ref('excluded.probability'),
        outcome: eb.ref('excluded.outcome'),
      })),
    )
    .execute();
}

const SCORED_TYPES: readonly string[] = ['contact', 'company', 'deal'];

/**
 * Drops what names a record erased for privacy (a tombstone in erased_records): HubSpot may still list a
 * GDPR-deleted contact for a while, and a sync must not store it again. One lookup per object type present.
 */
async function withoutErased<T>(
  db: Kysely<Database>,
  tenantId: string,
  items: T[],
  refs: (item: T) => { type: string; id: string }[],
): Promise<T[]> {
  if (items.length === 0) return items;
  const idsByType = new Map<string, Set<string>>();
  for (const item of items)
    for (const ref of refs(item)) {
      if (!SCORED_TYPES.includes(ref.type)) continue;
      const ids = idsByType.get(ref.type) ?? new Set<string>();
      ids.add(ref.id);
      idsByType.set(ref.type, ids);
    }
  const erased = new Set<string>();
  for (const [type, ids] of idsByType)
    for (const id of await selectErasedIds(db, tenantId, type as ObjectType, [...ids])) erased.add(`${type}/${id}`);
  if (erased.size === 0) return items;
  return items.filter((item) => refs(item).every((ref) => !erased.has(`${ref.type}/${ref.id}`)));
}

const associationEnds = (a: NeutralAssociation) => [
  { type: a.fromType, id: a.fromId },
  { type: a.toType, id: a.toId },
];

/**
 * The store side of a sync, scoped to one tenant: every row written carries `tenantId`.
 * Writes are idempotent upserts so an interrupted sync can simply run again.
 */
export function createStoreSyncSink(db: Kysely<Database>, tenantId: string): SyncSink {
  return {
    records: async (records) =>
      upsertRecords(db, tenantId, await withoutErased(db, tenantId, records, (r) => [{ type: r.objectType, id: r.externalId }])),
    activities: (activities) => upsertActivities(db, tenantId, activities),
    associations: async (associations) =>
      insertAssociations(db, tenantId, await withoutErased(db, tenantId, associations, associationEnds)),
    replaceAssociations: async (fromType, fromIds, associations) =>
      replaceOutgoingAssociations(db, tenantId, fromType, fromIds, await withoutErased(db, tenantId, associations, associationEnds)),
    customFields: (fields) => upsertCustomFields(db, tenantId, fields),
    fieldOptions: (options) => upsertFieldOptions(db, tenantId, options),
    archive: (objectType, externalIds) => archiveRecords(db, tenantId, objectType, externalIds),
    archiveActivities: (kind, externalIds) => archiveActivities(db, tenantId, kind, externalIds),
    stages: (stages) => upsertStages(db, tenantId, stages),
    outsideEdits: async (edits) =>
      recordOutsideEdits(
        db,
        tenantId,
        await withoutErased(db, tenantId, edits, (e) => [{ type: e.objectType, id: e.externalId }]),
        new Date(),
      ),
  };
}
