import type { ScoreWrite, WriteBackResult } from '../connector.ts';
import { ApiBudgetExhaustedError } from './budget.ts';
import {
  CLOSEWISE_FIELDS,
  type FieldValue,
  SCORED_AT_FIELD,
  type ScoredSObject,
  sameValue,
  sObjectOf,
  toSalesforceFields,
} from './closewise-fields.ts';
import type { SalesforceApi } from './salesforce-api.ts';
import { soqlIdList } from './soql.ts';

/** Salesforce names it statusCode in collection results; jsforce's type calls it errorCode. */
function saveErrorCode(error: object): string {
  if ('errorCode' in error && typeof error.errorCode === 'string') return error.errorCode;
  if ('statusCode' in error && typeof error.statusCode === 'string') return error.statusCode;
  return 'ERROR';
}

/** sObject Collections take at most 200 records per call. */
export const COLLECTION_LIMIT = 200;

export interface SalesforceWriteBackResult extends WriteBackResult {
  /** Records whose Closewise fields in Salesforce already held these values: no write was sent. */
  unchanged: number;
  /** Records not written because the daily API budget ran out; they stay pending for the next window. */
  deferred: number;
  /** Update calls sent (each ≤200 records). */
  calls: number;
  budgetExhausted: boolean;
}

/**
 * Errors another attempt cannot fix (the record or the field is wrong, not busy): reported at once.
 * Everything else — row locks, validation rules that depend on the record's state — is retried.
 */
const PERMANENT = new Set([
  'CANNOT_UPDATE_CONVERTED_LEAD',
  'ENTITY_IS_DELETED',
  'INVALID_CROSS_REFERENCE_KEY',
  'INVALID_FIELD',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'MALFORMED_ID',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'STRING_TOO_LONG',
  'INSUFFICIENT_ACCESS_OR_READONLY',
]);

interface Pending {
  externalId: string;
  fields: Record<string, FieldValue>;
  attempts: number;
  lastError: string;
}

/**
 * Writes scores change-only: for each chunk of ≤200 records the current Closewise values are read back
 * (one query), and only records whose values differ — beyond the scored-at stamp — are sent in one
 * sObject Collections update with allOrNone false. Records Salesforce rejects (validation rules, locked
 * records) are retried up to `maxRetries` times, then reported with Salesforce's message; nothing is dropped.
 */
export async function writeScoresToSalesforce(
  api: SalesforceApi,
  writes: ScoreWrite[],
  options: { maxRetries: number; onProgress?: (done: number) => void },
): Promise<SalesforceWriteBackResult> {
  const result: SalesforceWriteBackResult = { written: 0, failed: [], unchanged: 0, deferred: 0, calls: 0, budgetExhausted: false };
  const byObject = new Map<ScoredSObject, ScoreWrite[]>();
  for (const write of writes) {
    const object = sObjectOf(write.objectType, write.externalId);
    const list = byObject.get(object);
    if (list) list.push(write);
    else byObject.set(object, [write]);
  }
  let done = 0;
  const progress = (n: number) => {
    done += n;
    options.onProgress?.(done);
  };
  const order: ScoredSObject[] = ['Opportunity', 'Contact', 'Lead', 'Account'];
  let remaining = writes.length;
  try {
    await api.refreshLimits();
    for (const object of order) {
      const list = byObject.get(object) ?? [];
      for (let i = 0; i < list.length; i += COLLECTION_LIMIT) {
        const chunk = list.slice(i, i + COLLECTION_LIMIT);
        await writeChunk(api, object, chunk, options.maxRetries, result);
        remaining -= chunk.length;
        progress(chunk.length);
      }
    }
  } catch (error) {
    if (!(error instanceof ApiBudgetExhaustedError)) throw error;
    result.budgetExhausted = true;
    result.deferred = remaining;
  }
  return result;
}

async function writeChunk(
  api: SalesforceApi,
  object: ScoredSObject,
  chunk: ScoreWrite[],
  maxRetries: number,
  result: SalesforceWriteBackResult,
): Promise<void> {
  const ids = chunk.map((w) => w.externalId);
  const current = await api.query(`SELECT Id, ${CLOSEWISE_FIELDS[object].join(', ')} FROM ${object} WHERE Id IN ${soqlIdList(ids)}`);
  if (!current.complete) throw api.budget.exhausted();
  const existing = new Map(current.records.map((r) => [String(r.Id).slice(0, 15), r]));
  let pending: Pending[] = [];
  for (const write of chunk) {
    const fields = toSalesforceFields(object, write.fields);
    const row = existing.get(write.externalId.slice(0, 15));
    if (!row) {
      result.failed.push({
        externalId: write.externalId,
        message: `${object} ${write.externalId} not found (deleted, merged, or not visible to the integration user)`,
      });
      continue;
    }
    const changed = Object.entries(fields).filter(([name, value]) => !sameValue(row[name], value));
    if (changed.length === 0 || changed.every(([name]) => name === SCORED_AT_FIELD)) {
      result.unchanged += 1;
      continue;
    }
    pending.push({ externalId: write.externalId, fields: Object.fromEntries(changed), attempts: 0, lastError: '' });
  }
  while (pending.length > 0) {
    const batch = pending;
    pending = [];
    const saved = await api.update(
      object,
      batch.map((p) => ({ Id: p.externalId, ...p.fields })),
    );
    result.calls += 1;
    batch.forEach((p, index) => {
      const outcome = saved[index];
      if (outcome?.success) {
        result.written += 1;
        return;
      }
      const errors = outcome && !outcome.success ? outcome.errors : [];
      const codes = errors.map(saveErrorCode);
      p.attempts += 1;
      p.lastError = errors.map((e, i) => `${codes[i]}: ${e.message}`).join('; ') || 'rejected without a message';
      if (p.attempts <= maxRetries && !codes.some((code) => PERMANENT.has(code))) pending.push(p);
      else
        result.failed.push({
          externalId: p.externalId,
          message: `${p.lastError} (after ${p.attempts} attempt${p.attempts === 1 ? '' : 's'})`,
        });
    });
  }
}
