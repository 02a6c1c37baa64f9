// Private-app bench (issue #14): a 20,000-contact synthetic portal (3,000 with --quick), with the companies,
// deals and activities the generator makes for it, on HubSpot's Starter tier in the sandbox (a private app's
// 100 requests / 10 s, the account's daily quota). The tenant is provisioned by serve's private-app use case and
// synced by the production job handlers (the HubSpot connector on @hubspot/api-client, the runtime's rate budget).
//
// 1. Clean run: the whole sync; requests, 429s (target 0), time, and requests per second against the 10 / s bound.
// 2. Daily run: the same portal with a day's quota of the install plus half the clean sync's requests. The sync
//    stops at the quota with its cursors saved and a pause recorded; the clock moves to the reset the pause names
//    (midnight in the portal's zone) and the sync resumes from the cursors, day after day until it is done.
//    Reported: every record read again that the store held at the previous stop (rereadRecords, target 0: a
//    stream's position moves to the first page it did not store, the records whose associations were still to
//    read kept with it), the records answered but not stored before a stop and read again (the pages in flight
//    at the stop: refetchedUnstored), and the final store against the clean run's.
// Prints one JSON line.

import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { hubSpotApiLimits } from '../../src/connectors/hubspot/api-limits.ts';
import { runSyncDayByDay } from '../hubspot-private/daily-run.ts';
import { startPrivateAppPortal, until } from '../hubspot-private/private-app-portal.ts';
import { countsPerStream, readStoredRecords, STREAMS } from '../hubspot-private/stored-records.ts';
import type { BenchContext, BenchSection } from '../section.ts';

const TIER = 'starter' as const;
const TIME_ZONE = 'America/New_York';
const BOUND_PER_SECOND = hubSpotApiLimits('private_app', TIER).tenSecondly / 10;
const SYNC_TIMEOUT_MS = 15 * 60_000;

const seconds = (ms: number) => Number((ms / 1000).toFixed(1));
const metOrNot = (met: boolean) => (met ? 'met' : 'not met');
/** Both sandboxes load the same portal data, so the same records get the same ids. */
const sameIds = (a: Set<string> | undefined, b: Set<string> | undefined) =>
  a !== undefined && b !== undefined && a.size === b.size && [...a].every((id) => b.has(id));

async function cleanRun(portal: ReturnType<typeof generateSyntheticPortal>) {
  const app = await startPrivateAppPortal({ portal, tier: TIER, timeZone: TIME_ZONE, now: Date.now });
  try {
    await until('the clean sync', async () => (await app.syncRuns()).some((r) => r.outcome !== null), SYNC_TIMEOUT_MS);
    const elapsedMs = performance.now() - app.syncQueuedAt;
    const [ended] = await app.syncRuns();
    if (ended?.outcome !== 'completed') throw new Error(`the clean sync ended ${ended?.outcome}: ${ended?.error}`);
    const stats = app.sandbox.stats();
    return {
      installRequests: app.afterInstall.requests,
      requests: stats.requests - app.afterInstall.requests,
      rateLimited: stats.rateLimited,
      rateLimitedByPolicy: stats.rateLimitedByPolicy,
      elapsedMs,
      stored: await readStoredRecords(app.store.db, app.tenantId),
    };
  } finally {
    await app.stop();
  }
}

async function run(ctx: BenchContext): Promise<void> {
  const contacts = ctx.quick ? 3_000 : 20_000;
  const started = performance.now();
  const portal = generateSyntheticPortal({ seed: 14, contacts });
  ctx.log(
    `  portal: ${portal.companies.length} companies, ${contacts} contacts, ${portal.deals.length} deals, ${portal.activities.length} activities; private app on ${TIER} (${BOUND_PER_SECOND * 10} / 10 s)`,
  );

  const clean = await cleanRun(portal);
  const requestsPerSecond = clean.requests / (clean.elapsedMs / 1000);
  ctx.log(`  clean sync: ${clean.requests} requests in ${seconds(clean.elapsedMs)} s; ${clean.stored.records} records stored`);

  // The install's requests count against the day too: the sync itself gets half of what it needs.
  const quota = clean.installRequests + Math.ceil(clean.requests / 2);
  const daily = await runSyncDayByDay({ portal, tier: TIER, timeZone: TIME_ZONE, quota, timeoutMs: SYNC_TIMEOUT_MS, maxDays: 6 });
  const firstStop = daily.days[0]?.stop;
  const stops = daily.days.filter((d) => d.stop);
  const tenSecondly429 = daily.days.reduce((n, d) => n + (d.rateLimitedByPolicy.TEN_SECONDLY_ROLLING ?? 0), 0);
  const finalEqualsClean =
    daily.final.records === clean.stored.records &&
    daily.final.associations === clean.stored.associations &&
    STREAMS.every((s) => sameIds(daily.final.ids[s.stream], clean.stored.ids[s.stream]));
  const stoppedWithCursors =
    firstStop !== undefined &&
    (daily.days[0]?.recordsStored ?? 0) < clean.stored.records &&
    stops.every((d) => Object.keys(d.stop?.cursors ?? {}).length > 0 && d.stop?.resumeAtIsPortalMidnight);

  const line = {
    section: 'hubspot-private',
    tier: TIER,
    contacts,
    recordsSynced: clean.stored.records,
    recordsByStream: countsPerStream(clean.stored),
    associations: clean.stored.associations,
    requests: clean.requests,
    installRequests: clean.installRequests,
    rateLimited: clean.rateLimited,
    seconds: seconds(clean.elapsedMs),
    requestsPerSecond: Number(requestsPerSecond.toFixed(2)),
    boundRequestsPerSecond: BOUND_PER_SECOND,
    dailyStop: {
      quota,
      days: daily.days,
      syncRuns: daily.runs,
      rereadRecords: daily.reread.reread,
      rereadBehindSavedCursors: daily.reread.rereadBehindCursor,
      storedPastSavedCursors: daily.reread.storedPastCursor,
      refetchedUnstored: daily.reread.refetchedUnstored,
      rereadByStream: daily.rereadByStream,
      finalRecords: daily.final.records,
      finalAssociations: daily.final.associations,
      tenSecondly429,
    },
    targets: {
      zero429: metOrNot(clean.rateLimited === 0),
      dailyRunZeroTenSecondly429: metOrNot(tenSecondly429 === 0),
      dailyStopWithCursors: metOrNot(stoppedWithCursors),
      rereadRecordsZero: metOrNot(daily.reread.reread === 0),
      finalEqualsClean: metOrNot(finalEqualsClean),
    },
    totalSeconds: seconds(performance.now() - started),
  };
  ctx.log(JSON.stringify(line));

  ctx.record({ name: 'clean sync: 429 responses', value: clean.rateLimited, target: '= 0', pass: clean.rateLimited === 0 });
  ctx.record({
    name: `clean sync: requests per second (bound ${BOUND_PER_SECOND} / s)`,
    value: line.requestsPerSecond,
    unit: 'requests/s',
  });
  ctx.record({
    name: 'daily run: 10-second-limit 429s (the DAILY ones are the stops)',
    value: tenSecondly429,
    target: '= 0',
    pass: tenSecondly429 === 0,
  });
  ctx.record({
    name: `daily run: stops at the quota with cursors saved, resuming at the portal's midnight (${stops.length} stop${stops.length === 1 ? '' : 's'})`,
    value: line.targets.dailyStopWithCursors,
    target: 'met',
    pass: stoppedWithCursors,
  });
  ctx.record({
    name: 'resume: records read again that were stored before the stop',
    value: daily.reread.reread,
    target: '= 0',
    pass: daily.reread.reread === 0,
  });
  ctx.record({
    name: 'resume: records of the pages in flight at a stop (never stored), read again',
    value: daily.reread.refetchedUnstored,
  });
  ctx.record({
    name: 'final store vs clean run (record ids per stream, association count)',
    value: `${daily.final.records} / ${clean.stored.records}`,
    target: 'equal',
    pass: finalEqualsClean,
  });
}

export const section: BenchSection = {
  name: 'hubspot-private',
  description:
    'private app on Starter (100 / 10 s): 20,000-contact sync, 429s, and a daily-limit stop resumed at the reset without re-reading',
  run,
};
