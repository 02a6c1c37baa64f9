/**
 * Parsing of CRM string values into numbers and dates. Odd values (negative amounts, 1970 dates,
 * empty strings, text in number fields) become `null` — missing, never a made-up number — and are
 * counted per field, so the model card's data-quality section can show them.
 */
export type QualityIssue = 'empty' | 'not_a_number' | 'negative' | 'absurd' | 'not_a_date' | 'before_2000' | 'far_future' | 'unknown_stage';

export class QualityLog {
  readonly counts = new Map<string, Map<QualityIssue, number>>();
  /** Records (type:id) that had at least one odd value, so their scores can be flagged. */
  readonly records = new Map<string, Set<string>>();

  private readonly seen = new Set<string>();

  /** Counts each (field, issue) once per record, however many features read that value. */
  note(field: string, issue: QualityIssue, recordKey?: string): void {
    if (recordKey !== undefined) {
      const key = `${field}\u0000${issue}\u0000${recordKey}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    const byIssue = this.counts.get(field) ?? new Map<QualityIssue, number>();
    byIssue.set(issue, (byIssue.get(issue) ?? 0) + 1);
    this.counts.set(field, byIssue);
    if (recordKey) {
      const fields = this.records.get(recordKey) ?? new Set<string>();
      fields.add(field);
      this.records.set(recordKey, fields);
    }
  }

  summary(): { field: string; issue: QualityIssue; count: number }[] {
    const out: { field: string; issue: QualityIssue; count: number }[] = [];
    for (const [field, byIssue] of this.counts) for (const [issue, count] of byIssue) out.push({ field, issue, count });
    return out.sort((a, b) => b.count - a.count || a.field.localeCompare(b.field));
  }
}

const MIN_DATE = Date.UTC(2000, 0, 1);
const MAX_AMOUNT = 1e10;

export interface ParseContext {
  log?: QualityLog;
  field: string;
  recordKey?: string;
}

export function parseNumber(raw: string | null | undefined, ctx: ParseContext, opts: { nonNegative?: boolean } = {}): number | null {
  if (raw === null || raw === undefined) return null;
  const trimmed = raw.trim();
  if (trimmed === '') {
    ctx.log?.note(ctx.field, 'empty', ctx.recordKey);
    return null;
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    ctx.log?.note(ctx.field, 'not_a_number', ctx.recordKey);
    return null;
  }
  if (opts.nonNegative && value < 0) {
    ctx.log?.note(ctx.field, 'negative', ctx.recordKey);
    return null;
  }
  if (Math.abs(value) > MAX_AMOUNT) {
    ctx.log?.note(ctx.field, 'absurd', ctx.recordKey);
    return null;
  }
  return value;
}

/** Milliseconds since epoch; accepts ISO strings, date-only strings and epoch-millisecond strings. */
export function parseDate(raw: string | null | undefined, ctx: ParseContext, nowMs?: number): number | null {
  if (raw === null || raw === undefined) return null;
  const trimmed = raw.trim();
  if (trimmed === '') {
    ctx.log?.note(ctx.field, 'empty', ctx.recordKey);
    return null;
  }
  const ms = /^-?\d+$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
  if (!Number.isFinite(ms)) {
    ctx.log?.note(ctx.field, 'not_a_date', ctx.recordKey);
    return null;
  }
  if (ms < MIN_DATE) {
    ctx.log?.note(ctx.field, 'before_2000', ctx.recordKey);
    return null;
  }
  if (nowMs !== undefined && ms > nowMs + 20 * 365 * DAY_MS) {
    ctx.log?.note(ctx.field, 'far_future', ctx.recordKey);
    return null;
  }
  return ms;
}

/** Empty strings count as missing (and are logged); other strings pass unchanged. */
export function parseText(raw: string | null | undefined, ctx: ParseContext): string | null {
  if (raw === null || raw === undefined) return null;
  const trimmed = raw.trim();
  if (trimmed === '') {
    ctx.log?.note(ctx.field, 'empty', ctx.recordKey);
    return null;
  }
  return trimmed;
}

export function parseBool(raw: string | null | undefined): number | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return 1;
  if (v === 'false' || v === '0' || v === 'no') return 0;
  return null;
}

export const DAY_MS = 86_400_000;

export function daysBetween(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / DAY_MS;
}
