import type { LoadResult } from '../index.ts';

/** An SDK call that must fail: its HTTP status and HubSpot's parsed error body. */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown>; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code?: number; body?: unknown; headers?: Record<string, string> };
    if (typeof e.code !== 'number') throw err;
    const body = typeof e.body === 'string' ? (JSON.parse(e.body) as Record<string, unknown>) : (e.body as Record<string, unknown>);
    return { code: e.code, body, headers: e.headers ?? {} };
  }
  throw new Error('expected the call to fail');
}

/** HubSpot id of a loaded seed record. */
export function idOf(loaded: LoadResult, type: keyof LoadResult['ids'], seedId: string): string {
  const found = loaded.ids[type].get(seedId);
  if (!found) throw new Error(`${type} ${seedId} was not loaded`);
  return found;
}

/** A clock tests move by hand (token expiry, rolling windows) so nothing depends on wall time. */
export function manualClock(start = Date.parse('2026-06-30T12:00:00.000Z')) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}
