import type { PriorityTier } from '@closewise/contract';

/** Every number on a card is shown with its meaning; these helpers keep the wording in one place. */

export function formatPercent(value: number): string {
  return `${Math.round(value)}%`;
}

export function formatDateTime(iso: string, locale = 'en-US', timeZone?: string): string {
  // With the zone name: a rep in another office must not misread "scored 8:30 AM".
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}

export function formatDate(iso: string, locale = 'en-US', timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}

export const PRIORITY_LABELS: Record<PriorityTier, string> = {
  very_high: 'Very high',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const SEVERITY_VARIANTS = { high: 'error', medium: 'warning', low: 'default' } as const;

/** The date `days` from `from`, as YYYY-MM-DD (UTC), for snooze. */
export function isoDateInDays(days: number, from: Date = new Date()): string {
  return new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Signed probability points, e.g. "+12 pts", "−3.5 pts", "0 pts". */
export function formatPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10 || 0;
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '';
  return `${sign}${Math.abs(rounded)} pts`;
}

/** "3 Nov": the short date a change is measured from. */
export function formatDayMonth(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}
