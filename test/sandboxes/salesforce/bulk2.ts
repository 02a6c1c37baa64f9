import { randomBytes } from 'node:crypto';
import { SalesforceApiError } from './errors.ts';
import type { Reply } from './http.ts';
import { type Org, type SRecord, sfDateTime } from './org.ts';
import { toCsv } from './serialize.ts';
import { planQuery, type QueryPlan, runQuery } from './soql/evaluate.ts';
import { parseSoql } from './soql/parser.ts';

/**
 * Bulk API 2.0 query jobs: create (the SOQL is validated at once, as Salesforce does), poll until
 * JobComplete (after a configurable number of InProgress answers), then CSV result pages chained by the
 * Sforce-Locator header; the last page says `Sforce-Locator: null`.
 */
interface QueryJob {
  id: string;
  plan: QueryPlan;
  operation: 'query' | 'queryAll';
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted';
  pollsLeft: number;
  rows: SRecord[] | undefined;
  createdDate: string;
}

export class BulkQueryJobs {
  private readonly org: Org;
  private readonly jobs = new Map<string, QueryJob>();
  private readonly pollsBeforeComplete: number;
  private readonly pageSize: number;
  private readonly version: string;
  created = 0;
  pagesServed = 0;

  constructor(org: Org, options: { pollsBeforeComplete: number; pageSize: number; version: string }) {
    this.org = org;
    this.pollsBeforeComplete = options.pollsBeforeComplete;
    this.pageSize = options.pageSize;
    this.version = options.version;
  }

  private info(job: QueryJob): Record<string, unknown> {
    return {
      id: job.id,
      operation: job.operation,
      object: job.plan.object.name,
      createdById: '0055g0000000001AAA',
      createdDate: job.createdDate,
      systemModstamp: sfDateTime(Date.now()),
      state: job.state,
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(this.version),
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
      ...(job.rows ? { numberRecordsProcessed: job.rows.length, retries: 0, totalProcessingTime: 1 } : {}),
    };
  }

  private job(id: string): QueryJob {
    const job = this.jobs.get(id);
    if (!job) throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return job;
  }

  create(body: unknown): Reply {
    const parsed = body as { operation?: unknown; query?: unknown };
    if (parsed?.operation !== 'query' && parsed?.operation !== 'queryAll')
      throw new SalesforceApiError(400, 'INVALIDJOB', 'Invalid operation: must be query or queryAll');
    if (typeof parsed.query !== 'string') throw new SalesforceApiError(400, 'INVALIDJOB', 'query is required');
    const query = parseSoql(parsed.query);
    if (query.select.kind === 'count')
      throw new SalesforceApiError(400, 'API_ERROR', 'Aggregate Relationships not supported in Bulk Query');
    const plan = planQuery(this.org, query);
    const id = `7505g${randomBytes(5).toString('hex').toUpperCase()}AAA`.slice(0, 18);
    const job: QueryJob = {
      id,
      plan,
      operation: parsed.operation,
      state: 'UploadComplete',
      pollsLeft: this.pollsBeforeComplete,
      rows: undefined,
      createdDate: sfDateTime(Date.now()),
    };
    this.jobs.set(id, job);
    this.created += 1;
    return { status: 200, json: this.info(job) };
  }

  status(id: string): Reply {
    const job = this.job(id);
    if (job.state !== 'Aborted' && job.state !== 'JobComplete') {
      if (job.pollsLeft > 0) {
        job.pollsLeft -= 1;
        job.state = 'InProgress';
      } else {
        job.rows = runQuery(this.org, job.plan, { includeDeleted: job.operation === 'queryAll' });
        job.state = 'JobComplete';
      }
    }
    return { status: 200, json: this.info(job) };
  }

  abort(id: string): Reply {
    const job = this.job(id);
    job.state = 'Aborted';
    return { status: 200, json: this.info(job) };
  }

  /** Results expire (7 days on Salesforce); tests drop every job at once. */
  expireAll(): void {
    this.jobs.clear();
  }

  remove(id: string): Reply {
    this.job(id);
    this.jobs.delete(id);
    return { status: 204 };
  }

  results(id: string, query: URLSearchParams): Reply {
    const job = this.job(id);
    if (job.state !== 'JobComplete' || !job.rows) throw new SalesforceApiError(400, 'INVALIDJOBSTATE', `Job is not complete: ${job.state}`);
    const locator = query.get('locator');
    const offset = locator ? Number(Buffer.from(locator, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(offset) || offset < 0 || offset > job.rows.length)
      throw new SalesforceApiError(400, 'INVALID_LOCATOR', 'Invalid locator');
    const maxRecords = Number(query.get('maxRecords') ?? this.pageSize);
    const size = Math.max(1, Math.min(this.pageSize, Number.isFinite(maxRecords) ? maxRecords : this.pageSize));
    const page = job.rows.slice(offset, offset + size);
    const next = offset + page.length < job.rows.length ? Buffer.from(String(offset + page.length)).toString('base64url') : 'null';
    this.pagesServed += 1;
    return {
      status: 200,
      headers: { 'Content-Type': 'text/csv', 'Sforce-Locator': next, 'Sforce-NumberOfRecords': String(page.length) },
      text: toCsv(this.org, job.plan, page),
    };
  }
}
