import type {
  CustomFieldInfo,
  FieldOptions,
  NeutralActivity,
  NeutralAssociation,
  NeutralRecord,
  SyncProgress,
  SyncResult,
  SyncSink,
} from '../connector.ts';
import { ApiBudgetExhaustedError } from './budget.ts';
import { EMPTY_CURSOR, type ObjectCursor, parseCursor, serializeCursor } from './cursors.ts';
import { fetchAll, fetchChanged } from './fetch-rows.ts';
import { fetchFieldHistory, fieldHistoryOf, type HistoryParent, trackedFieldsOf } from './field-history.ts';
import {
  customFieldsOf,
  FIELDS,
  fieldOptionsOf,
  mapAccount,
  mapContact,
  mapEvent,
  mapLead,
  mapOpportunity,
  mapStage,
  mapTask,
  type PersonFacts,
} from './mapping.ts';
import type { Row, SalesforceApi } from './salesforce-api.ts';
import { soqlDateTime, soqlField, soqlIdList } from './soql.ts';
import { bool, date, related, text } from './values.ts';

/**
 * One sync run: metadata (stages, custom fields), then Account, Opportunity (+ OpportunityHistory),
 * OpportunityContactRole, Contact (+ converted leads and won deals for the lifecycle), Lead, Task
 * (+ EmailMessage direction) and Event, each from its own cursor. When the daily API budget runs out the run
 * stops after the last batch it delivered and says so; the cursors it returns resume exactly there.
 */
export interface SyncLimits {
  bulkThreshold: number;
  bulkPageSize: number;
}

export type SalesforceSyncStatus =
  | { state: 'complete' }
  | { state: 'budget_exhausted'; message: string; stoppedAt: string; resumeAfter: Date; apiUsed: number | null; apiLimit: number | null };

export interface SalesforceSyncResult extends SyncResult {
  status: SalesforceSyncStatus;
}

export const SYNC_OBJECTS = ['Account', 'Opportunity', 'OpportunityContactRole', 'Contact', 'Lead', 'Task', 'Event'] as const;
type SyncObject = (typeof SYNC_OBJECTS)[number];

const DECISION_ROLES = new Set(['Decision Maker', 'Economic Buyer', 'Executive Sponsor']);
/** IN lists of ids stay well under the 100,000-character SOQL limit. */
const ID_CHUNK = 200;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function groupBy(rows: Row[], key: string): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const row of rows) {
    const k = text(row[key]);
    if (!k) continue;
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

interface RunContext {
  api: SalesforceApi;
  sink: SyncSink;
  limits: SyncLimits;
  cursors: Record<SyncObject, ObjectCursor>;
  counts: Record<string, number>;
  custom: Record<HistoryParent, string[]>;
  /** Fields with history tracking on, per object (describe of its history object). */
  tracked: Record<HistoryParent, Set<string>>;
  onProgress?: SyncProgress;
  now: () => Date;
  /** Where the Opportunity cursor stood when the run began: deals changed since then were delivered this run. */
  opportunitiesSince: Date | null;
}

export async function syncOrg(
  api: SalesforceApi,
  sink: SyncSink,
  options: { cursors?: Record<string, string>; onProgress?: SyncProgress; limits: SyncLimits; now: () => Date },
): Promise<SalesforceSyncResult> {
  const cursors = Object.fromEntries(SYNC_OBJECTS.map((o) => [o, parseCursor(o, options.cursors?.[o])])) as Record<
    SyncObject,
    ObjectCursor
  >;
  const ctx: RunContext = {
    api,
    sink,
    limits: options.limits,
    cursors,
    counts: {},
    custom: { Account: [], Contact: [], Lead: [], Opportunity: [] },
    tracked: { Account: new Set(), Contact: new Set(), Lead: new Set(), Opportunity: new Set() },
    now: options.now,
    opportunitiesSince: (cursors.Opportunity.bulkSince ?? cursors.Opportunity.position)?.since ?? null,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  const steps: [string, () => Promise<boolean>][] = [
    [
      'limits',
      async () => {
        await api.refreshLimits();
        api.budget.check();
        return true;
      },
    ],
    ['metadata', () => syncMetadata(ctx)],
    ['Account', () => syncAccounts(ctx)],
    ['Opportunity', () => syncOpportunities(ctx)],
    ['OpportunityContactRole', () => syncContactRoles(ctx)],
    ['Contact', () => syncContacts(ctx)],
    ['Lead', () => syncLeads(ctx)],
    ['Task', () => syncTasks(ctx)],
    ['Event', () => syncEvents(ctx)],
  ];
  let status: SalesforceSyncStatus = { state: 'complete' };
  for (const [name, step] of steps) {
    let complete: boolean;
    try {
      complete = await step();
    } catch (error) {
      if (!(error instanceof ApiBudgetExhaustedError)) throw error;
      complete = false;
    }
    if (!complete) {
      const used = api.budget.used;
      const limit = api.budget.limit;
      status = {
        state: 'budget_exhausted',
        stoppedAt: name,
        apiUsed: used,
        apiLimit: limit,
        // Salesforce counts a rolling 24 hours; the next window is a day from now at the latest.
        resumeAfter: new Date(options.now().getTime() + 24 * 60 * 60 * 1000),
        message: `Salesforce daily API budget reached (${used ?? '?'} of ${limit ?? '?'} requests used, ${api.budget.reserveCalls()} kept in reserve): sync stopped during ${name} and resumes from its cursors in the next window`,
      };
      break;
    }
  }
  const nextCursors: Record<string, string> = {};
  for (const object of SYNC_OBJECTS) {
    const serialized = serializeCursor(cursors[object]);
    if (serialized) nextCursors[object] = serialized;
  }
  return { counts: ctx.counts, nextCursors, status };
}

/** Mapped records with their tracked fields' history added (one history query per 200 records, if any field is tracked). */
async function withFieldHistory(ctx: RunContext, parent: HistoryParent, records: NeutralRecord[]): Promise<NeutralRecord[]> {
  if (ctx.tracked[parent].size === 0 || records.length === 0) return records;
  const rows = await fetchFieldHistory(
    ctx.api,
    parent,
    records.map((r) => r.externalId),
  );
  count(
    ctx,
    'fieldHistory',
    [...rows.values()].reduce((n, r) => n + r.length, 0),
  );
  return records.map((record) => {
    const extra = fieldHistoryOf(parent, record, rows.get(record.externalId) ?? [], ctx.tracked[parent], ctx.custom[parent]);
    return extra.length > 0 ? { ...record, history: [...record.history, ...extra] } : record;
  });
}

function count(ctx: RunContext, key: string, n: number): void {
  ctx.counts[key] = (ctx.counts[key] ?? 0) + n;
}

async function syncMetadata(ctx: RunContext): Promise<boolean> {
  const stages = await ctx.api.query(
    `SELECT ${FIELDS.OpportunityStage.join(', ')} FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder ASC`,
  );
  await ctx.sink.stages(stages.records.map(mapStage));
  count(ctx, 'stages', stages.records.length);
  const fields: CustomFieldInfo[] = [];
  const options: FieldOptions[] = [];
  for (const [object, objectType] of [
    ['Account', 'company'],
    ['Opportunity', 'deal'],
    ['Contact', 'contact'],
    ['Lead', 'contact'],
  ] as const) {
    const describe = await ctx.api.describe(object);
    const described = customFieldsOf(objectType, describe);
    ctx.custom[object] = described.map((f) => soqlField(f.name));
    fields.push(...described);
    options.push(...fieldOptionsOf(object, objectType, describe));
    ctx.tracked[object] = await trackedFieldsOf(ctx.api, object);
  }
  // Contact and Lead fields of one name are one neutral field.
  const unique = [...new Map(fields.map((f) => [`${f.objectType}/${f.name}`, f])).values()];
  await ctx.sink.customFields(unique);
  // A Lead's picklist and a Contact's of one name are one neutral field: the labels are merged.
  await ctx.sink.fieldOptions?.(mergeFieldOptions(options));
  count(ctx, 'customFields', unique.length);
  return true;
}

function mergeFieldOptions(options: FieldOptions[]): FieldOptions[] {
  const merged = new Map<string, FieldOptions>();
  for (const o of options) {
    const key = `${o.objectType}/${o.field}`;
    const known = merged.get(key);
    if (!known) merged.set(key, { ...o, options: [...o.options] });
    else for (const option of o.options) if (!known.options.some((k) => k.value === option.value)) known.options.push(option);
  }
  return [...merged.values()];
}

async function syncAccounts(ctx: RunContext): Promise<boolean> {
  const outcome = await fetchChanged(ctx.api, ctx.cursors.Account, {
    object: 'Account',
    fields: [...FIELDS.Account, ...ctx.custom.Account],
    ...ctx.limits,
    includeDeleted: true,
    deliver: async (rows) => {
      await ctx.sink.records(
        await withFieldHistory(
          ctx,
          'Account',
          rows.map((r) => mapAccount(r, ctx.custom.Account)),
        ),
      );
      count(ctx, 'company', rows.length);
    },
    onProgress: (fetched, total) => ctx.onProgress?.({ objectType: 'company', fetched, total }),
  });
  ctx.cursors.Account = outcome.cursor;
  return outcome.complete;
}

/** Opportunities with their stage history; history is read for every opportunity the run will deliver. */
async function syncOpportunities(ctx: RunContext): Promise<boolean> {
  const since = ctx.cursors.Opportunity.bulk ? ctx.cursors.Opportunity.bulkSince : ctx.cursors.Opportunity.position;
  // Inclusive and without the Id tie-break: a superset is harmless, history rows are keyed by time.
  const filter = since ? ` WHERE Opportunity.SystemModstamp >= ${soqlDateTime(since.since)}` : '';
  const historyRows = await fetchAll(
    ctx.api,
    `SELECT ${FIELDS.OpportunityHistory.join(', ')} FROM OpportunityHistory${filter}`,
    `SELECT COUNT() FROM OpportunityHistory${filter}`,
    ctx.limits,
  );
  const history = groupBy(historyRows, 'OpportunityId');
  const closedStages = new Set(
    (await ctx.api.query(`SELECT ApiName FROM OpportunityStage WHERE IsClosed = true`)).records.map((r) => String(r.ApiName)),
  );
  const outcome = await fetchChanged(ctx.api, ctx.cursors.Opportunity, {
    object: 'Opportunity',
    fields: [...FIELDS.Opportunity, ...ctx.custom.Opportunity],
    ...ctx.limits,
    includeDeleted: true,
    deliver: async (rows) => {
      const records = await withFieldHistory(
        ctx,
        'Opportunity',
        rows.map((r) => mapOpportunity(r, ctx.custom.Opportunity, history.get(String(r.Id)) ?? [], closedStages)),
      );
      await ctx.sink.records(records);
      const links: NeutralAssociation[] = rows
        .filter((r) => text(r.AccountId))
        .map((r) => ({ fromType: 'deal', fromId: String(r.Id), toType: 'company', toId: String(r.AccountId) }));
      await ctx.sink.associations(links);
      count(ctx, 'deal', rows.length);
    },
    onProgress: (fetched, total) => ctx.onProgress?.({ objectType: 'deal', fetched, total }),
  });
  ctx.cursors.Opportunity = outcome.cursor;
  count(ctx, 'dealHistory', historyRows.length);
  return outcome.complete;
}

/** Contact roles link deals to the people on them (decision makers among them by role and title). */
async function syncContactRoles(ctx: RunContext): Promise<boolean> {
  const outcome = await fetchChanged(ctx.api, ctx.cursors.OpportunityContactRole, {
    object: 'OpportunityContactRole',
    fields: FIELDS.OpportunityContactRole,
    ...ctx.limits,
    deliver: async (rows) => {
      const links: NeutralAssociation[] = rows
        .filter((r) => text(r.OpportunityId) && text(r.ContactId))
        .map((r) => ({ fromType: 'deal', fromId: String(r.OpportunityId), toType: 'contact', toId: String(r.ContactId) }));
      await ctx.sink.associations(links);
      count(ctx, 'contactRoles', rows.length);
      count(ctx, 'decisionMakerRoles', rows.filter((r) => DECISION_ROLES.has(text(r.Role) ?? '')).length);
    },
  });
  ctx.cursors.OpportunityContactRole = outcome.cursor;
  return outcome.complete;
}

/** Facts about people: the lead each Contact was converted from, and when they first won a deal. */
async function personFacts(ctx: RunContext, contactIds: string[]): Promise<Map<string, PersonFacts>> {
  const facts = new Map<string, PersonFacts>();
  for (const ids of chunks(contactIds, ID_CHUNK)) {
    const leads = await ctx.api.query(
      `SELECT ConvertedContactId, CreatedDate, ConvertedDate FROM Lead WHERE IsConverted = true AND ConvertedContactId IN ${soqlIdList(ids)}`,
    );
    if (!leads.complete) throw ctx.api.budget.exhausted();
    for (const row of leads.records) {
      const id = String(row.ConvertedContactId);
      facts.set(id, { ...facts.get(id), lead: { createdAt: date(row.CreatedDate), convertedAt: date(row.ConvertedDate) } });
    }
    const won = await ctx.api.query(
      `SELECT ContactId, Opportunity.CloseDate FROM OpportunityContactRole WHERE Opportunity.IsWon = true AND ContactId IN ${soqlIdList(ids)}`,
    );
    if (!won.complete) throw ctx.api.budget.exhausted();
    for (const row of won.records) {
      const id = String(row.ContactId);
      const at = date(related(row, 'Opportunity', 'CloseDate'));
      const previous = facts.get(id)?.wonAt;
      if (at && (!previous || at < previous)) facts.set(id, { ...facts.get(id), wonAt: at });
    }
  }
  return facts;
}

async function deliverContacts(ctx: RunContext, rows: Row[]): Promise<void> {
  const facts = await personFacts(
    ctx,
    rows.map((r) => String(r.Id)),
  );
  const records: NeutralRecord[] = await withFieldHistory(
    ctx,
    'Contact',
    rows.map((r) => mapContact(r, ctx.custom.Contact, facts.get(String(r.Id)) ?? {})),
  );
  await ctx.sink.records(records);
  await ctx.sink.associations(
    rows
      .filter((r) => text(r.AccountId))
      .map((r) => ({ fromType: 'contact', fromId: String(r.Id), toType: 'company', toId: String(r.AccountId) })),
  );
  count(ctx, 'contact', rows.length);
}

async function syncContacts(ctx: RunContext): Promise<boolean> {
  const delivered = new Set<string>();
  const outcome = await fetchChanged(ctx.api, ctx.cursors.Contact, {
    object: 'Contact',
    fields: [...FIELDS.Contact, ...ctx.custom.Contact],
    ...ctx.limits,
    includeDeleted: true,
    deliver: async (rows) => {
      for (const r of rows) delivered.add(String(r.Id));
      await deliverContacts(ctx, rows);
    },
    onProgress: (fetched, total) => ctx.onProgress?.({ objectType: 'contact', fetched, total }),
  });
  ctx.cursors.Contact = outcome.cursor;
  if (!outcome.complete) return false;
  // A deal won since the last run makes its people customers although their Contact rows did not change.
  const wonSince = ctx.opportunitiesSince ? await recentlyWonContacts(ctx, ctx.opportunitiesSince) : [];
  const stale = wonSince.filter((id) => !delivered.has(id));
  for (const ids of chunks(stale, ID_CHUNK)) {
    const page = await ctx.api.query(
      `SELECT ${[...FIELDS.Contact, ...ctx.custom.Contact].join(', ')} FROM Contact WHERE Id IN ${soqlIdList(ids)}`,
    );
    if (!page.complete) throw ctx.api.budget.exhausted();
    await deliverContacts(ctx, page.records);
  }
  return true;
}

async function recentlyWonContacts(ctx: RunContext, from: Date): Promise<string[]> {
  const rows = await ctx.api.query(
    `SELECT ContactId FROM OpportunityContactRole WHERE Opportunity.IsWon = true AND Opportunity.SystemModstamp >= ${soqlDateTime(from)}`,
  );
  if (!rows.complete) throw ctx.api.budget.exhausted();
  return [...new Set(rows.records.map((r) => String(r.ContactId)))];
}

async function syncLeads(ctx: RunContext): Promise<boolean> {
  const outcome = await fetchChanged(ctx.api, ctx.cursors.Lead, {
    object: 'Lead',
    fields: [...FIELDS.Lead, ...ctx.custom.Lead],
    ...ctx.limits,
    includeDeleted: true,
    deliver: async (rows) => {
      await ctx.sink.records(
        await withFieldHistory(
          ctx,
          'Lead',
          rows.map((r) => mapLead(r, ctx.custom.Lead)),
        ),
      );
      count(ctx, 'lead', rows.filter((r) => !bool(r.IsConverted)).length);
      count(ctx, 'convertedLead', rows.filter((r) => bool(r.IsConverted)).length);
    },
    onProgress: (fetched, total) => ctx.onProgress?.({ objectType: 'lead', fetched, total }),
  });
  ctx.cursors.Lead = outcome.cursor;
  return outcome.complete;
}

async function deliverActivities(
  ctx: RunContext,
  mapped: ({ activity: NeutralActivity; links: NeutralAssociation[] } | null)[],
): Promise<void> {
  const present = mapped.filter((m): m is { activity: NeutralActivity; links: NeutralAssociation[] } => m !== null);
  await ctx.sink.activities(present.map((m) => m.activity));
  await ctx.sink.associations(present.flatMap((m) => m.links));
  for (const m of present) count(ctx, m.activity.kind, 1);
}

async function syncTasks(ctx: RunContext): Promise<boolean> {
  const outcome = await fetchChanged(ctx.api, ctx.cursors.Task, {
    object: 'Task',
    fields: FIELDS.Task,
    ...ctx.limits,
    deliver: async (rows) => {
      // Logged emails keep their direction on the EmailMessage that belongs to the Task.
      const emailIds = rows.filter((r) => text(r.TaskSubtype) === 'Email').map((r) => String(r.Id));
      const incoming = new Map<string, boolean>();
      for (const ids of chunks(emailIds, ID_CHUNK)) {
        const page = await ctx.api.query(`SELECT ActivityId, Incoming FROM EmailMessage WHERE ActivityId IN ${soqlIdList(ids)}`);
        if (!page.complete) throw ctx.api.budget.exhausted();
        for (const row of page.records) incoming.set(String(row.ActivityId), bool(row.Incoming));
      }
      await deliverActivities(
        ctx,
        rows.map((r) => mapTask(r, incoming)),
      );
    },
    onProgress: (fetched, total) => ctx.onProgress?.({ objectType: 'task', fetched, total }),
  });
  ctx.cursors.Task = outcome.cursor;
  return outcome.complete;
}

async function syncEvents(ctx: RunContext): Promise<boolean> {
  const outcome = await fetchChanged(ctx.api, ctx.cursors.Event, {
    object: 'Event',
    fields: FIELDS.Event,
    ...ctx.limits,
    deliver: (rows) => deliverActivities(ctx, rows.map(mapEvent)),
    onProgress: (fetched, total) => ctx.onProgress?.({ objectType: 'meeting', fetched, total }),
  });
  ctx.cursors.Event = outcome.cursor;
  return outcome.complete;
}

export { EMPTY_CURSOR };
