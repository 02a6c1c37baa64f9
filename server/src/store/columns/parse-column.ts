import type { z } from 'zod';
import { ClosewiseError } from '../../errors/errors.ts';

/**
 * A JSON column whose stored value does not match its schema. That is the server's fault (a bad migration,
 * a hand edit), never the caller's, so it is an internal error and not the 400 a plain ZodError would map to.
 */
export class StoredValueError extends ClosewiseError {
  constructor(message: string) {
    super('INTERNAL', message);
  }
}

/** Parses a stored JSON value; the error names the column, the row and the first offending field. */
export function parseStored<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new StoredValueError(`stored ${where} is malformed: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}

/** For bulk reads that skip a malformed row (the next scoring run overwrites it) instead of failing the whole run. */
export function parseStoredOrNull<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
