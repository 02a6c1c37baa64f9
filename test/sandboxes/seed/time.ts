export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

// Formatting dates dominates the cost of large portals; the day part is cached and the time of day
// assembled by hand, which gives the same string as Date.toISOString at a fraction of the cost.
const dayPrefixes = new Map<number, string>();
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Whole seconds, ISO-8601 UTC. Flooring keeps the order of times and never moves one past `now`. */
export function isoSeconds(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const day = Math.floor(seconds / 86_400);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const inDay = seconds - day * 86_400;
  const h = Math.floor(inDay / 3600);
  const m = Math.floor((inDay % 3600) / 60);
  return `${prefix}${pad2(h)}:${pad2(m)}:${pad2(inDay % 60)}.000Z`;
}
