import { ApiBudgetExhaustedError } from './budget.ts';
import { salesforceErrorCode } from './classify-error.ts';
import { type ObjectCursor, positionAfter } from './cursors.ts';
import type { Row, SalesforceApi } from './salesforce-api.ts';
import { type ModstampCursor, modstampFilter, whereClause } from './soql.ts';

/**
 * Reads the rows of one object changed since its cursor, ordered by SystemModstamp then Id, handing each
 * batch to `deliver` before the cursor moves past it. Small results use REST with autoFetch; results over
 * `bulkThreshold` rows use a Bulk API 2.0 query job read page by page.
 */
export interface FetchOptions {
  object: string;
  fields: readonly string[];
  /** Extra constant conditions (never user input). */
  where?: string[];
  bulkThreshold: number;
  bulkPageSize: number;
  /** Read deleted rows too (queryAll), so deletions reach the store as archived records. */
  includeDeleted?: boolean;
  deliver(rows: Row[]): Promise<void>;
  onProgress?: (fetched: number, total: number) => void;
}

export interface FetchOutcome {
  cursor: ObjectCursor;
  fetched: number;
  /** False when the API budget stopped the read; `cursor` then marks where to resume. */
  complete: boolean;
}

/**
 * REST reads are ordered so a stop after any page leaves a clean cursor. Bulk reads are not: ORDER BY turns
 * off Salesforce's PK chunking for Bulk 2.0 (slow, may time out); their cursor is the latest row of the job.
 */
function soqlFor(options: FetchOptions, since: ObjectCursor['position'], ordered: boolean): string {
  const order = ordered ? ' ORDER BY SystemModstamp ASC, Id ASC' : '';
  return `SELECT ${options.fields.join(', ')} FROM ${options.object}${whereClause([...(options.where ?? []), modstampFilter(since)])}${order}`;
}

function later(a: ModstampCursor | null, b: ModstampCursor | null): ModstampCursor | null {
  if (!a || !b) return a ?? b;
  if (a.since.getTime() !== b.since.getTime()) return a.since > b.since ? a : b;
  return (a.afterId ?? '') >= (b.afterId ?? '') ? a : b;
}

export async function fetchChanged(api: SalesforceApi, start: ObjectCursor, options: FetchOptions): Promise<FetchOutcome> {
  const progress = { cursor: { ...start }, fetched: 0 };
  try {
    return await fetchInto(api, progress, options);
  } catch (error) {
    if (error instanceof ApiBudgetExhaustedError) return { cursor: progress.cursor, fetched: progress.fetched, complete: false };
    // Bulk results expire (Salesforce keeps them for days): start that read again from where the job began.
    if (progress.cursor.bulk && salesforceErrorCode(error) === 'NOT_FOUND') {
      return fetchChanged(api, { position: progress.cursor.bulkSince, bulk: null, bulkSince: null }, options);
    }
    throw error;
  }
}

async function fetchInto(
  api: SalesforceApi,
  progress: { cursor: ObjectCursor; fetched: number },
  options: FetchOptions,
): Promise<FetchOutcome> {
  let cursor = progress.cursor;
  let fetched = 0;
  const save = () => {
    progress.cursor = cursor;
    progress.fetched = fetched;
  };
  if (!cursor.bulk) {
    const scan = { includeDeleted: options.includeDeleted ?? false };
    const total = await api.count(
      `SELECT COUNT() FROM ${options.object}${whereClause([...(options.where ?? []), modstampFilter(cursor.position)])}`,
      scan,
    );
    if (total === 0) return { cursor, fetched, complete: true };
    if (total <= options.bulkThreshold) {
      const page = await api.query(soqlFor(options, cursor.position, true), scan);
      await options.deliver(page.records);
      const last = page.records[page.records.length - 1];
      if (last) cursor = { ...cursor, position: positionAfter(last) ?? cursor.position };
      fetched = page.records.length;
      save();
      options.onProgress?.(page.records.length, page.totalSize);
      return { cursor, fetched: page.records.length, complete: page.complete };
    }
    const jobId = await api.openBulkQuery(soqlFor(options, cursor.position, false), scan);
    cursor = { ...cursor, bulk: { jobId, locator: null }, bulkSince: cursor.position };
    save();
  }
  for (;;) {
    const bulk = cursor.bulk;
    if (!bulk) break;
    const page = await api.bulkPage(bulk, options.bulkPageSize);
    await options.deliver(page.records);
    fetched += page.records.length;
    options.onProgress?.(fetched, fetched + (page.next ? options.bulkPageSize : 0));
    let position = cursor.position;
    for (const row of page.records) position = later(position, positionAfter(row));
    cursor = {
      position,
      bulk: page.next ? { jobId: bulk.jobId, locator: page.next } : null,
      bulkSince: page.next ? cursor.bulkSince : null,
    };
    save();
  }
  return { cursor, fetched, complete: true };
}

/** All rows of a query (no cursor), REST or Bulk by size; used for lookups read whole each run. */
export async function fetchAll(
  api: SalesforceApi,
  soql: string,
  countSoql: string,
  options: { bulkThreshold: number; bulkPageSize: number },
): Promise<Row[]> {
  const total = await api.count(countSoql);
  if (total === 0) return [];
  if (total <= options.bulkThreshold) {
    const page = await api.query(soql);
    if (!page.complete) throw api.budget.exhausted();
    return page.records;
  }
  const jobId = await api.openBulkQuery(soql);
  const rows: Row[] = [];
  let position: { jobId: string; locator: string | null } | null = { jobId, locator: null };
  while (position) {
    const page = await api.bulkPage(position, options.bulkPageSize);
    rows.push(...page.records);
    position = page.next ? { jobId, locator: page.next } : null;
  }
  return rows;
}
