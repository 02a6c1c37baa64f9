import type { SliceInfo } from '../types.ts';

/** Text into HTML text or an attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A feature name as HTML that may wrap after '_', '.', '/' or '-' (CRM internal names have no spaces), so a
 * narrow column breaks "deal_stage_probability" between words rather than mid-word. The text is unchanged.
 */
export function nameHtml(name: string): string {
  return escapeHtml(name).replace(/([_./-])(?=[^\s])/g, '$1<wbr>');
}

export const int = (n: number): string => n.toLocaleString('en-US');

export const fixed = (n: number, digits = 4): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');

export const pct = (share: number, digits = 1): string => (Number.isFinite(share) ? `${(share * 100).toFixed(digits)}%` : '–');

/** Milliseconds since 1970 read as dates; smaller numbers (row numbers, days) are shown as they are. */
function timeValue(t: number): string {
  if (t > 1e11 && t < 1e14) return new Date(t).toISOString().slice(0, 10);
  return int(Math.round(t * 100) / 100);
}

/** "1,200 rows, 180 positives (15.0%), time 2024-01-02 to 2024-03-31". */
export function sliceText(slice: SliceInfo): string {
  const parts = [
    `${int(slice.rows)} rows`,
    `${int(slice.positives)} positives (${pct(slice.rows > 0 ? slice.positives / slice.rows : Number.NaN)})`,
  ];
  if (slice.timeFrom !== undefined && slice.timeTo !== undefined)
    parts.push(`time ${timeValue(slice.timeFrom)} to ${timeValue(slice.timeTo)}`);
  return parts.join(', ');
}

/** A table cell for a value that may not have been computed. */
export function notComputed(what = 'not computed'): string {
  return `<span class="muted">${escapeHtml(what)}</span>`;
}

export function section(id: string, title: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-title"><h2 id="${id}-title">${escapeHtml(title)}</h2>\n${body}\n</section>`;
}
