import { runDbFaultScenario } from '@closewise/server/jobs/test-support/db-fault-scenario';
import { describe, expect, it } from 'vitest';

/**
 * Issue #18: `closewise serve` and `closewise worker` survive their database connections being terminated
 * every 2 s (pg_terminate_backend on every Closewise connection) during a sync + score + write-back with 50
 * card reads always in flight. The 60-second version is `npm run bench -- --only faults`.
 */
describe('PostgreSQL connections terminated every 2 s', () => {
  it('serve and worker stay up, the job completes, card reads answer 200 or 503', async () => {
    const result = await runDbFaultScenario({ stormMs: 16_000 });
    console.log(JSON.stringify({ ...result, serveStderr: undefined, workerStderr: undefined }));
    expect(result.killRounds).toBeGreaterThanOrEqual(7);
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
