export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Whole seconds, ISO-8601 UTC. Flooring keeps the order of times and never moves one past `now`.
 * Date.toISOString is kept on purpose: it returns one flat string, whereas assembling the text by
 * concatenation (tried) leaves rope strings that take four times the memory in large portals.
 */
export const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString();
