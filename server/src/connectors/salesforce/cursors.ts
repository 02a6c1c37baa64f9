import { z } from 'zod';
import { BadInputError } from '../../errors/errors.ts';
import type { BulkPosition } from './salesforce-api.ts';
import type { ModstampCursor } from './soql.ts';
import { date, text } from './values.ts';

/**
 * Per-object sync position, serialised into SyncResult.nextCursors: the SystemModstamp and Id of the last
 * row delivered, and while a Bulk 2.0 job is being read, the job and the next page's locator (results stay
 * available for days, so a run stopped by the API budget continues the same job in the next window).
 */
const cursorSchema = z.object({
  since: z.iso.datetime(),
  afterId: z
    .string()
    .regex(/^[a-zA-Z0-9]{15,18}$/)
    .nullable(),
  bulk: z
    .object({
      jobId: z.string().regex(/^[a-zA-Z0-9]{15,18}$/),
      locator: z
        .string()
        .regex(/^[A-Za-z0-9_=-]+$/)
        .nullable(),
    })
    .nullable(),
  /** Where this bulk job started, to restart it if the job is gone. */
  bulkSince: z.iso.datetime().nullable(),
});

export interface ObjectCursor {
  position: ModstampCursor | null;
  bulk: BulkPosition | null;
  bulkSince: ModstampCursor | null;
}

export const EMPTY_CURSOR: ObjectCursor = { position: null, bulk: null, bulkSince: null };

export function parseCursor(key: string, raw: string | undefined): ObjectCursor {
  if (!raw) return EMPTY_CURSOR;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new BadInputError(`sync cursor for ${key} is not JSON`);
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) throw new BadInputError(`sync cursor for ${key} is malformed: ${parsed.error.issues[0]?.message ?? ''}`);
  const c = parsed.data;
  return {
    position: { since: new Date(c.since), afterId: c.afterId },
    bulk: c.bulk,
    bulkSince: c.bulkSince ? { since: new Date(c.bulkSince), afterId: null } : null,
  };
}

export function serializeCursor(cursor: ObjectCursor): string | undefined {
  if (!cursor.position && !cursor.bulk) return undefined;
  return JSON.stringify({
    since: (cursor.position?.since ?? new Date(0)).toISOString(),
    afterId: cursor.position?.afterId ?? null,
    bulk: cursor.bulk,
    bulkSince: cursor.bulkSince?.since.toISOString() ?? null,
  });
}

/** The position just after a row, from its SystemModstamp and Id. */
export function positionAfter(row: Record<string, unknown>): ModstampCursor | null {
  const since = date(row.SystemModstamp);
  const id = text(row.Id);
  return since && id ? { since, afterId: id } : null;
}
