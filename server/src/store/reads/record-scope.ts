import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database, ObjectType } from '../schema.ts';
import type { ActivityRow } from '../tables/activities.ts';
import type { AssociationRow } from '../tables/associations.ts';
import type { CrmRecordRow } from '../tables/crm-records.ts';
import type { PropertyHistoryRow } from '../tables/property-history.ts';

/**
 * The rows a few records' scores are computed from, and nothing proportional to the portal: the records, the
 * records associated with them (a deal's contacts and company, a contact's company and deals, a company's
 * deals and contacts), the history of all of these, and the activities associated with the records — for a
 * company also its deals' and contacts' activities (its engagement counts theirs). Rows come in the same
 * order as the whole-tenant reads, so scoring indexes them the same way.
 */
export interface RecordScopeRows {
  records: CrmRecordRow[];
  history: PropertyHistoryRow[];
  activities: ActivityRow[];
  associations: AssociationRow[];
}

const RECORD_TYPES: ReadonlySet<string> = new Set(['contact', 'company', 'deal']);
const ACTIVITY_KINDS: ReadonlySet<string> = new Set(['email', 'call', 'meeting', 'note', 'task']);

type Keys = Map<string, Set<string>>;

function addKey(keys: Keys, type: string, id: string): void {
  const ids = keys.get(type) ?? new Set<string>();
  ids.add(id);
  keys.set(type, ids);
}

/** `typeColumn = t AND idColumn IN (...)` for each type, OR-ed; false when there is nothing to match. */
function anyOf<T extends keyof Database>(
  eb: ExpressionBuilder<Database, T>,
  keys: Keys,
  typeColumn: string,
  idColumn: string,
): ReturnType<ExpressionBuilder<Database, T>['or']> {
  // The column names are this module's own literals; the casts only tell Kysely they belong to table T.
  const ref = eb.ref as (column: string) => Parameters<typeof eb>[0];
  return eb.or(
    [...keys]
      .filter(([, ids]) => ids.size > 0)
      .map(([type, ids]) => eb.and([eb(ref(typeColumn), '=', type), eb(ref(idColumn), 'in', [...ids])])),
  );
}

const isEmpty = (keys: Keys): boolean => [...keys.values()].every((ids) => ids.size === 0);

/** Association rows with one of these records on either side, in the whole-tenant read's order. */
async function associationsTouching(db: Kysely<Database>, tenantId: string, keys: Keys): Promise<AssociationRow[]> {
  if (isEmpty(keys)) return [];
  const rows = await db
    .selectFrom('associations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([anyOf(eb, keys, 'from_type', 'from_id'), anyOf(eb, keys, 'to_type', 'to_id')]))
    .orderBy('from_type')
    .orderBy('from_id')
    .orderBy('to_type')
    .orderBy('to_id')
    .execute();
  return rows;
}

/** Records linked to `keys` by record-to-record rows, and the activities named by activity rows. */
function followAssociations(rows: AssociationRow[], keys: Keys, linked: Keys, activities: Keys, bareActivityIds: Set<string>): void {
  const isTarget = (type: string, id: string) => keys.get(type)?.has(id) === true;
  for (const row of rows) {
    const fromRecord = RECORD_TYPES.has(row.from_type);
    const toRecord = RECORD_TYPES.has(row.to_type);
    if (fromRecord && toRecord) {
      if (isTarget(row.from_type, row.from_id)) addKey(linked, row.to_type, row.to_id);
      if (isTarget(row.to_type, row.to_id)) addKey(linked, row.from_type, row.from_id);
      continue;
    }
    // The activity side, as scoring reads it: kind→record, 'activity'→record, or the reverse.
    const [type, id] = toRecord ? [row.from_type, row.from_id] : [row.to_type, row.to_id];
    if (ACTIVITY_KINDS.has(type)) addKey(activities, type, id);
    else bareActivityIds.add(id);
  }
}

export async function selectRecordScopeRows(
  db: Kysely<Database>,
  tenantId: string,
  scope: { objectType: ObjectType; externalIds: string[] },
): Promise<RecordScopeRows> {
  const targets: Keys = new Map([[scope.objectType, new Set(scope.externalIds)]]);
  const linked: Keys = new Map();
  const activityKeys: Keys = new Map();
  const bareActivityIds = new Set<string>();
  const associations = await associationsTouching(db, tenantId, targets);
  followAssociations(associations, targets, linked, activityKeys, bareActivityIds);
  if (scope.objectType === 'company') {
    // A company's engagement counts its deals' and contacts' activities, and its open deals need their stages.
    const members: Keys = new Map([...linked].filter(([type]) => type !== 'company'));
    const memberRows = await associationsTouching(db, tenantId, members);
    const ignored: Keys = new Map();
    followAssociations(
      memberRows.filter((row) => !(RECORD_TYPES.has(row.from_type) && RECORD_TYPES.has(row.to_type))),
      members,
      ignored,
      activityKeys,
      bareActivityIds,
    );
    associations.push(...memberRows);
  }
  const recordKeys: Keys = new Map();
  for (const keys of [targets, linked]) for (const [type, ids] of keys) for (const id of ids) addKey(recordKeys, type, id);

  const [records, history, activities] = await Promise.all([
    db
      .selectFrom('crm_records')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('archived', '=', false)
      .where((eb) => anyOf(eb, recordKeys, 'object_type', 'external_id'))
      .orderBy('object_type')
      .orderBy('external_id')
      .execute(),
    db
      .selectFrom('property_history')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where((eb) => anyOf(eb, recordKeys, 'object_type', 'external_id'))
      .orderBy('changed_at')
      .orderBy('object_type')
      .orderBy('external_id')
      .orderBy('property')
      .execute(),
    isEmpty(activityKeys) && bareActivityIds.size === 0
      ? Promise.resolve([] as ActivityRow[])
      : db
          .selectFrom('activities')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('archived', '=', false)
          .where((eb) => {
            const byKind = anyOf(eb, activityKeys, 'kind', 'external_id');
            return bareActivityIds.size === 0 ? byKind : eb.or([byKind, eb('external_id', 'in', [...bareActivityIds])]);
          })
          .orderBy('occurred_at')
          .orderBy('kind')
          .orderBy('external_id')
          .execute(),
  ]);
  return { records, history, activities, associations: dedupe(associations) };
}

/** A company's member rows repeat the rows that link them to the company: each row once. */
function dedupe(rows: AssociationRow[]): AssociationRow[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = `${row.from_type}\u0000${row.from_id}\u0000${row.to_type}\u0000${row.to_id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
