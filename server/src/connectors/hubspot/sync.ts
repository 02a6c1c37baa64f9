import type { Client } from '@hubspot/api-client';
import type { ActivityKind, ObjectType } from '../../store/schema.ts';
import type { CustomFieldInfo, NeutralAssociation, NeutralStage, SyncProgress, SyncResult, SyncSink } from '../connector.ts';
import { CLOSEWISE_GROUP } from './closewise-properties.ts';
import {
  ACTIVITY_PROPERTIES,
  HISTORY_PROPERTIES,
  HUBSPOT_ACTIVITY,
  HUBSPOT_OBJECT,
  type HubSpotObject,
  mapActivity,
  mapCustomField,
  mapRecord,
  mapStage,
  propertiesToRead,
} from './mapping.ts';

const OBJECT_TYPES: ObjectType[] = ['company', 'contact', 'deal'];
const ACTIVITY_KINDS: ActivityKind[] = ['email', 'call', 'meeting', 'note', 'task'];
/** HubSpot caps list pages at 100, and at 50 when property history is requested. */
const PAGE_SIZE = 100;
const HISTORY_PAGE_SIZE = 50;
/** Associations v4 batch read takes at most 1,000 ids per call. */
const ASSOCIATION_BATCH = 1000;

/** Pairs whose associations the features use (deal contacts, account roll-ups, activity ownership). */
const ASSOCIATION_PAIRS: [string, string][] = [
  ['deal', 'contact'],
  ['deal', 'company'],
  ['contact', 'company'],
  ...ACTIVITY_KINDS.flatMap((kind) => (['contact', 'deal', 'company'] as const).map((to): [string, string] => [kind, to])),
];

const hubspotTypeOf = (neutral: string) => HUBSPOT_OBJECT[neutral as ObjectType] ?? HUBSPOT_ACTIVITY[neutral as ActivityKind];

/**
 * A full sync of one portal: pipelines, custom property metadata, records with history, activities and
 * associations, written page by page into the sink (so memory stays flat and an interrupted sync resumes
 * by running again: every write is an upsert).
 */
export async function syncPortal(client: Client, sink: SyncSink, onProgress?: SyncProgress): Promise<SyncResult> {
  const counts: Record<string, number> = {};
  const stages = await readStages(client);
  await sink.stages(stages);
  const stageIndex = new Map(stages.map((s) => [s.stageId, s]));
  const customFields = await readCustomFields(client);
  await sink.customFields(customFields);
  counts.customFields = customFields.length;

  const ids: Record<string, string[]> = {};
  const latestChange: Record<string, string> = {};
  for (const objectType of OBJECT_TYPES) {
    ids[objectType] = [];
    const historyNames = Object.values(HISTORY_PROPERTIES[objectType]);
    for await (const page of pages(client, HUBSPOT_OBJECT[objectType], propertiesToRead(objectType, customFields), historyNames)) {
      const records = page.map((object) => mapRecord(objectType, object, customFields, stageIndex));
      await sink.records(records);
      for (const record of records) {
        ids[objectType].push(record.externalId);
        const changed = record.updatedAt?.toISOString();
        if (changed && changed > (latestChange[objectType] ?? '')) latestChange[objectType] = changed;
      }
      onProgress?.({ objectType, fetched: ids[objectType].length });
    }
    counts[objectType] = ids[objectType].length;
  }

  for (const kind of ACTIVITY_KINDS) {
    ids[kind] = [];
    for await (const page of pages(client, HUBSPOT_ACTIVITY[kind], ACTIVITY_PROPERTIES, [])) {
      const activities = page.map((object) => mapActivity(kind, object)).filter((a) => a !== null);
      await sink.activities(activities);
      ids[kind].push(...activities.map((a) => a.externalId));
      onProgress?.({ objectType: kind, fetched: ids[kind].length });
    }
    counts[kind] = ids[kind].length;
  }

  let associationCount = 0;
  for (const [from, to] of ASSOCIATION_PAIRS) {
    const fromIds = ids[from] ?? [];
    for (let i = 0; i < fromIds.length; i += ASSOCIATION_BATCH) {
      const inputs = fromIds.slice(i, i + ASSOCIATION_BATCH).map((id) => ({ id }));
      const response = await client.crm.associations.v4.batchApi.getPage(hubspotTypeOf(from), hubspotTypeOf(to), { inputs });
      const associations: NeutralAssociation[] = response.results.flatMap((result) =>
        result.to.map((target) => ({ fromType: from, fromId: String(result._from.id), toType: to, toId: String(target.toObjectId) })),
      );
      await sink.associations(associations);
      associationCount += associations.length;
    }
    onProgress?.({ objectType: `associations ${from}→${to}`, fetched: associationCount });
  }
  counts.associations = associationCount;

  return { counts, nextCursors: latestChange };
}

async function* pages(client: Client, hubspotType: string, properties: string[], history: string[]): AsyncGenerator<HubSpotObject[]> {
  let after: string | undefined;
  do {
    const response = await client.crm.objects.basicApi.getPage(
      hubspotType,
      history.length ? HISTORY_PAGE_SIZE : PAGE_SIZE,
      after,
      properties,
      history.length ? history : undefined,
      undefined,
      false,
    );
    yield response.results as unknown as HubSpotObject[];
    after = response.paging?.next?.after;
  } while (after);
}

async function readStages(client: Client): Promise<NeutralStage[]> {
  const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
  return pipelines.results.flatMap((pipeline) =>
    pipeline.stages.map((stage) =>
      mapStage(pipeline.id, { id: stage.id, label: stage.label, displayOrder: stage.displayOrder, metadata: stage.metadata ?? {} }),
    ),
  );
}

/** The customer's own properties: not HubSpot-defined, not ours, not calculated. They become model inputs. */
async function readCustomFields(client: Client): Promise<CustomFieldInfo[]> {
  const fields: CustomFieldInfo[] = [];
  for (const objectType of OBJECT_TYPES) {
    const response = await client.crm.properties.coreApi.getAll(HUBSPOT_OBJECT[objectType]);
    for (const property of response.results) {
      if (property.hubspotDefined || property.calculated || property.groupName === CLOSEWISE_GROUP.name) continue;
      fields.push(mapCustomField(objectType, property));
    }
  }
  return fields;
}
