// A private-app portal whose daily quota runs out mid-sync, taken day by day to the end of its sync: each run
// that meets the quota stores its cursors, records a pause and completes; the bench then moves the shared clock
// to the reset the pause names and queues the sync, as the timer the handler set for that moment would (the
// timer counts wall-clock time, which the bench does not wait out). Measures what each day read again.

import type { SandboxStats } from '@closewise/sandboxes/hubspot';
import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { type HubSpotTier, nextDailyReset } from '../../src/connectors/hubspot/api-limits.ts';
import { readPortalStatus } from '../../src/jobs/status.ts';
import { selectCrmApiPause } from '../../src/store/tables/crm-api-pauses.ts';
import { loadSyncCursors } from '../../src/store/tables/sync-state.ts';
import { movableClock } from './movable-clock.ts';
import { type PrivateAppPortal, startPrivateAppPortal, until } from './private-app-portal.ts';
import { type StreamReread, streamReread, sumRereads } from './reread.ts';
import { readStoredRecords, STREAMS, type StoredRecords } from './stored-records.ts';

export interface DailyRunOptions {
  portal: PortalData;
  tier: HubSpotTier;
  timeZone: string;
  quota: number;
  timeoutMs: number;
  /** Gives up after this many days (a sync that cannot finish would otherwise go on for ever). */
  maxDays: number;
}

export interface SyncDay {
  requests: number;
  rateLimitedByPolicy: Record<string, number>;
  seconds: number;
  /** Records and activities in the store at the day's end. */
  recordsStored: number;
  /** Set when the day ended at the quota. */
  stop?: {
    at: string;
    resumeAt: string;
    /** The reset the pause names is the portal's next midnight (not UTC's). */
    resumeAtIsPortalMidnight: boolean;
    /** What the tenant's status says during the pause. */
    status: string | null;
    /** The full sync's saved positions (`full:<type>`, and the records each kept whose associations are still to read). */
    cursors: Record<string, string>;
  };
}

export interface DailyRunReport {
  days: SyncDay[];
  /** Sync run outcomes in the run log, oldest first. */
  runs: (string | null)[];
  reread: StreamReread;
  rereadByStream: Record<string, StreamReread>;
  final: StoredRecords;
}

/** What the bench keeps of one stop: the reads so far, what the store held and where the cursors stood. */
interface StopSnapshot {
  reads: Record<string, Map<string, number>>;
  stored: StoredRecords;
  cursors: Record<string, string>;
}

/** The full sync's positions for the JSON line: pending association ids as their count, not the list. */
const fullSyncPositions = (cursors: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(cursors)
      .filter(([key]) => key.startsWith('full:'))
      .map(([key, value]) => [key, key.endsWith(':associations-pending') ? `${value.split(',').length} ids` : value]),
  );

const readsPerStream = (app: PrivateAppPortal) =>
  Object.fromEntries(STREAMS.map((s) => [s.stream, app.sandbox.apiReadsPerRecord(s.sandboxType)]));

const policyDelta = (from: SandboxStats, to: SandboxStats) =>
  Object.fromEntries(Object.entries(to.rateLimitedByPolicy).map(([policy, n]) => [policy, n - (from.rateLimitedByPolicy[policy] ?? 0)]));

export async function runSyncDayByDay(options: DailyRunOptions): Promise<DailyRunReport> {
  const clock = movableClock();
  const app = await startPrivateAppPortal({ ...options, now: clock.now, daily: options.quota });
  try {
    const days: SyncDay[] = [];
    const stops: StopSnapshot[] = [];
    const byStream: Record<string, StreamReread> = {};
    let dayStats = app.afterInstall;
    let dayStarted = app.syncQueuedAt;
    for (let day = 1; ; day++) {
      await until(
        `the sync of day ${day}`,
        async () => (await app.syncRuns()).filter((r) => r.outcome !== null).length >= day,
        options.timeoutMs,
      );
      const ended = (await app.syncRuns())[day - 1];
      if (ended?.outcome !== 'completed') throw new Error(`the sync of day ${day} ended ${ended?.outcome}: ${ended?.error}`);
      const stats = app.sandbox.stats();
      const stored = await readStoredRecords(app.store.db, app.tenantId);
      const pause = await selectCrmApiPause(app.store.db, app.tenantId);
      const stoppedAt = clock.now();
      const stopped = pause !== null && pause.resumeAt.getTime() > stoppedAt;
      const snapshot: StopSnapshot = { reads: readsPerStream(app), stored, cursors: await loadSyncCursors(app.store.db, app.tenantId) };
      // What this day read again of what the store held at the previous stop.
      const previous = stops.at(-1);
      if (previous) {
        for (const s of STREAMS) {
          const r = streamReread({
            dayOne: previous.reads[s.stream] ?? new Map(),
            total: snapshot.reads[s.stream] ?? new Map(),
            storedAtStop: previous.stored.ids[s.stream] ?? new Set(),
            cursor: previous.cursors[`full:${s.stream}`] ?? null,
          });
          const sofar = byStream[s.stream];
          byStream[s.stream] = sofar ? sumRereads({ sofar, r }) : r;
        }
      }
      days.push({
        requests: stats.requests - dayStats.requests,
        rateLimitedByPolicy: policyDelta(dayStats, stats),
        seconds: Number(((performance.now() - dayStarted) / 1000).toFixed(1)),
        recordsStored: stored.records,
        ...(stopped
          ? {
              stop: {
                at: new Date(stoppedAt).toISOString(),
                resumeAt: pause.resumeAt.toISOString(),
                resumeAtIsPortalMidnight: pause.resumeAt.getTime() === nextDailyReset(stoppedAt, options.timeZone).getTime(),
                status: (await readPortalStatus(app.store.db, null, new Date(stoppedAt)))[0]?.paused ?? null,
                cursors: fullSyncPositions(snapshot.cursors),
              },
            }
          : {}),
      });
      if (!stopped) break;
      if (day >= options.maxDays) throw new Error(`the sync had not finished after ${day} days of ${options.quota} requests`);
      stops.push(snapshot);

      // The next day: the clock at the reset, and the sync the handler's timer queues then.
      clock.moveTo(pause.resumeAt.getTime());
      dayStats = app.sandbox.stats();
      dayStarted = performance.now();
      await app.engine.enqueue('sync', { tenantId: app.tenantId });
    }
    return {
      days,
      runs: (await app.syncRuns()).map((r) => r.outcome),
      reread: sumRereads(byStream),
      rereadByStream: byStream,
      final: await readStoredRecords(app.store.db, app.tenantId),
    };
  } finally {
    await app.stop();
  }
}
