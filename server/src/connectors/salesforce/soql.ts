import { BadInputError } from '../../errors/errors.ts';

/**
 * SOQL text is only ever assembled from constant field lists and values rendered by these functions,
 * which accept typed values (Date, validated ids) — never free text from a user or a record.
 */
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function soqlId(id: string): string {
  if (!ID.test(id)) throw new BadInputError(`not a Salesforce id: ${JSON.stringify(id).slice(0, 40)}`);
  return `'${id}'`;
}

export function soqlIdList(ids: string[]): string {
  if (ids.length === 0) throw new BadInputError('an IN list needs at least one id');
  return `(${ids.map(soqlId).join(', ')})`;
}

/** A SOQL datetime literal (unquoted, UTC). */
export function soqlDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new BadInputError('invalid date for a SOQL literal');
  return date.toISOString();
}

/** Field API names come from describe or constants; this guards the few built from describe. */
export function soqlField(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/.test(name))
    throw new BadInputError(`not a field name: ${JSON.stringify(name).slice(0, 60)}`);
  return name;
}

/** Incremental window on SystemModstamp with an Id tie-break, so a resumed run neither skips nor repeats rows. */
export interface ModstampCursor {
  since: Date;
  afterId: string | null;
}

export function modstampFilter(cursor: ModstampCursor | null, field = 'SystemModstamp'): string {
  if (!cursor) return '';
  const at = soqlDateTime(cursor.since);
  return cursor.afterId ? `(${field} > ${at} OR (${field} = ${at} AND Id > ${soqlId(cursor.afterId)}))` : `${field} > ${at}`;
}

export function whereClause(conditions: string[]): string {
  const present = conditions.filter((c) => c.length > 0);
  return present.length > 0 ? ` WHERE ${present.join(' AND ')}` : '';
}
