import type { Connection, HttpRequest, Record as SfRecord } from 'jsforce';
import { QueryJobV2 } from 'jsforce/lib/api/bulk2.js';
import { HttpApi } from 'jsforce/lib/http-api.js';
import { UpstreamError } from '../../errors/errors.ts';
import { markCrmFailure } from '../errors.ts';
import { type ApiBudget, ApiBudgetExhaustedError, isRequestLimitExceeded } from './budget.ts';
import { boundSalesforceRequests } from './request-timeout.ts';
import { isRecord } from './values.ts';

/** A row as jsforce returns it: field values, `attributes`, and nested objects for relationship fields. */
export type Row = Record<string, unknown>;

export interface QueryPage {
  records: Row[];
  /** False when the budget stopped the query before its last page. */
  complete: boolean;
  totalSize: number;
}

export interface BulkPosition {
  jobId: string;
  /** The page to read next; null for the first page. */
  locator: string | null;
}

// Every outbound call has a timeout: jsforce's default is half an hour.
boundSalesforceRequests();

/** REST pages hold up to 2,000 records; each page is one API call. */
const REST_PAGE = 2000;

/**
 * Every Salesforce call the connector makes, through one jsforce Connection, with the daily budget
 * checked before and updated after each call. jsforce refreshes the access token on a 401 and replays.
 * Salesforce's failures are rethrown marked (markCrmFailure) for the connector's edge to classify.
 */
export class SalesforceApi {
  readonly conn: Connection;
  readonly budget: ApiBudget;
  private readonly bulkPollIntervalMs: number;
  private readonly bulkPollTimeoutMs: number;
  calls = 0;

  constructor(conn: Connection, budget: ApiBudget, options: { bulkPollIntervalMs?: number; bulkPollTimeoutMs?: number } = {}) {
    this.conn = conn;
    this.budget = budget;
    this.bulkPollIntervalMs = options.bulkPollIntervalMs ?? 2000;
    this.bulkPollTimeoutMs = options.bulkPollTimeoutMs ?? 10 * 60 * 1000;
  }

  private observeLimits(): void {
    const usage = this.conn.limitInfo?.apiUsage;
    if (usage) this.budget.observe(usage.used, usage.limit);
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    this.budget.check();
    this.calls += 1;
    try {
      return await run();
    } catch (error) {
      if (isRequestLimitExceeded(error)) throw this.budget.exhausted();
      throw markCrmFailure(error);
    } finally {
      this.observeLimits();
    }
  }

  /**
   * Reads `/limits` (one call, which Salesforce counts too) so a run starts from the org's current usage,
   * not from what an earlier run saw before the window rolled over.
   */
  async refreshLimits(): Promise<void> {
    this.calls += 1;
    try {
      const limits = await this.conn.request<{ DailyApiRequests?: { Max: number; Remaining: number } }>(
        `/services/data/v${this.conn.version}/limits`,
      );
      const daily = limits.DailyApiRequests;
      if (daily) this.budget.observe(daily.Max - daily.Remaining, daily.Max);
    } catch (error) {
      if (isRequestLimitExceeded(error)) throw this.budget.exhausted();
      throw markCrmFailure(error);
    } finally {
      this.observeLimits();
    }
  }

  /** `SELECT COUNT() ...`: the number of rows, one call. */
  async count(soql: string, options: { includeDeleted?: boolean } = {}): Promise<number> {
    const result = await this.call(
      async () => await this.conn.query(soql, { scanAll: options.includeDeleted ?? false }).execute({ autoFetch: false }),
    );
    return result.totalSize;
  }

  describe(objectName: string) {
    return this.call(() => this.conn.sobject(objectName).describe());
  }

  /**
   * A REST query with autoFetch, stopping at the budget: jsforce fetches at most as many pages as the
   * budget allows, and a REQUEST_LIMIT_EXCEEDED mid-way keeps the rows already read (queries are ordered,
   * so the caller's cursor can stop at the last row it got).
   */
  async query(soql: string, options: { includeDeleted?: boolean } = {}): Promise<QueryPage> {
    this.budget.check();
    const remaining = this.budget.remaining();
    const maxFetch = remaining === null ? 10_000_000 : Math.max(1, remaining) * REST_PAGE;
    const records: Row[] = [];
    const before = this.conn.limitInfo?.apiUsage?.used ?? null;
    // includeDeleted reads through queryAll, which also returns rows in the recycle bin (IsDeleted = true).
    const query = this.conn.query<SfRecord>(soql, { scanAll: options.includeDeleted ?? false });
    let failure: unknown;
    await new Promise<void>((resolve) => {
      query
        .on('record', (record: SfRecord) => records.push(record))
        .on('end', () => resolve())
        .on('error', (error: unknown) => {
          failure = error;
          resolve();
        })
        .run({ autoFetch: true, maxFetch });
      // The query's own promise rejects on the same error the listener above handles.
      query.then(undefined, () => undefined);
    });
    this.observeLimits();
    const after = this.conn.limitInfo?.apiUsage?.used ?? null;
    this.calls += before !== null && after !== null ? Math.max(1, after - before) : Math.max(1, Math.ceil(records.length / REST_PAGE));
    const totalSize = query.totalSize ?? records.length;
    if (failure !== undefined) {
      if (!isRequestLimitExceeded(failure)) throw markCrmFailure(failure);
      return { records, complete: false, totalSize };
    }
    return { records, complete: records.length >= totalSize, totalSize };
  }

  /** sObject Collections update, ≤200 records, allOrNone false: one result per record, in order. */
  async update(objectName: string, records: ({ Id: string } & Record<string, unknown>)[]) {
    if (records.length > 200) throw new RangeError('sObject Collections take at most 200 records per call');
    return this.call(() => this.conn.sobject(objectName).update(records, { allOrNone: false }));
  }

  /** Opens a Bulk API 2.0 query job and waits for JobComplete. */
  async openBulkQuery(soql: string, options: { includeDeleted?: boolean } = {}): Promise<string> {
    const job = new QueryJobV2(this.conn, {
      bodyParams: { query: soql, operation: options.includeDeleted ? 'queryAll' : 'query' },
      pollingOptions: { pollInterval: this.bulkPollIntervalMs, pollTimeout: this.bulkPollTimeoutMs },
    });
    await this.call(() => job.open());
    await this.waitForBulkJob(job.id);
    return job.id;
  }

  private async waitForBulkJob(jobId: string): Promise<void> {
    const job = this.conn.bulk2.job('query', { id: jobId });
    const deadline = Date.now() + this.bulkPollTimeoutMs;
    for (;;) {
      const info = await this.call(() => job.check());
      if (info.state === 'JobComplete') return;
      if (info.state === 'Failed' || info.state === 'Aborted')
        throw new UpstreamError(`Salesforce bulk query job ${jobId} ended as ${info.state}`);
      if (Date.now() > deadline)
        throw new UpstreamError(`Salesforce bulk query job ${jobId} did not finish within ${this.bulkPollTimeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, this.bulkPollIntervalMs));
    }
  }

  /**
   * One CSV result page. jsforce 3.10's own `result()` pipes every page into one stream and breaks on
   * the second page, so pages are read here through jsforce's HttpApi (same auth, refresh and error
   * handling), following the Sforce-Locator header; `null` marks the last page.
   */
  async bulkPage(position: BulkPosition, maxRecords: number): Promise<{ records: Row[]; next: string | null }> {
    this.budget.check();
    const api = new HttpApi(this.conn, {});
    let locator: string | undefined;
    api.on('response', (response: { headers: Record<string, string | undefined> }) => {
      locator = response.headers['sforce-locator'];
      this.budget.observeHeader(response.headers['sforce-limit-info']);
    });
    const params = new URLSearchParams({ maxRecords: String(maxRecords) });
    if (position.locator) params.set('locator', position.locator);
    const request: HttpRequest = {
      method: 'GET',
      url: `${this.conn.instanceUrl}/services/data/v${this.conn.version}/jobs/query/${position.jobId}/results?${params.toString()}`,
      headers: { Accept: 'text/csv' },
    };
    this.calls += 1;
    let body: unknown;
    try {
      body = await api.request<unknown>(request);
    } catch (error) {
      if (isRequestLimitExceeded(error)) throw this.budget.exhausted();
      throw markCrmFailure(error);
    }
    // jsforce parses the CSV into one object per row.
    const records = Array.isArray(body) ? body.filter(isRecord) : [];
    return { records, next: locator && locator !== 'null' ? locator : null };
  }
}

export { ApiBudgetExhaustedError };
