import { runDbFaultScenario } from '@closewise/server/jobs/test-support/db-fault-scenario';
import { describe, expect, it } from 'vitest';

/**
 * Issue #18: `closewise serve` and `closewise worker` survive their database connections being terminated
 * every 2 s (pg_terminate_backend on every Closewise connection) during a sync + score + write-back with 50
 * card reads always in flight, for the 60 s the issue names (`npm run bench -- --only faults` runs the same
 * scenario and prints its figures as a JSON line).
 */
describe('PostgreSQL connections terminated every 2 s', () => {
  it('serve and worker stay up, the job completes, card reads answer 200 or 503', async () => {
    const result = await runDbFaultScenario({ stormMs: 60_000 });
    console.log(JSON.stringify({ ...result, serveStderr: undefined, workerStderr: undefined }));
    // A round is a 2-s pause plus the kill query: on a loaded 2-core machine a few rounds run late.
    expect(result.killRounds).toBeGreaterThanOrEqual(25);
    expect(result.connectionsKilled).toBeGreaterThan(0);
    expect(result.serveAlive, result.serveStderr).toBe(true);
    expect(result.workerAlive, result.workerStderr).toBe(true);
    expect(result.jobCompleted, result.workerStderr).toBe(true);
    expect(result.pendingWrites).toBe(0);
    expect(
      Object.keys(result.cardStatuses).every((status) => status === '200' || status === '503'),
      JSON.stringify(result.cardStatuses),
    ).toBe(true);
    expect(result.cardStatuses['200'] ?? 0).toBeGreaterThan(0);
  }, 300_000);
});
