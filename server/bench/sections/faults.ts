// Faults bench: issue #18's database storm at full length. `closewise serve` and `closewise worker` (real
// processes) on a throwaway PostgreSQL database while every Closewise connection is terminated every 2 s for
// 60 s during a sync + score + write-back with 50 card reads in flight. `npm test` runs a 16-second storm
// (test/faults/db-connection-kills.test.ts).

import { runDbFaultScenario } from '../../src/jobs/test-support/db-fault-scenario.ts';
import type { BenchContext, BenchSection } from '../section.ts';

async function run(ctx: BenchContext): Promise<void> {
  const stormMs = ctx.quick ? 16_000 : 60_000;
  const result = await runDbFaultScenario({ stormMs, contacts: ctx.quick ? 300 : 1_000 });
  const statuses = Object.keys(result.cardStatuses);
  ctx.record({ name: 'storm', value: stormMs / 1000, unit: 's' });
  ctx.record({ name: 'kill rounds', value: result.killRounds });
  ctx.record({ name: 'connections terminated', value: result.connectionsKilled });
  ctx.record({ name: 'serve stayed up', value: String(result.serveAlive), target: 'true', pass: result.serveAlive });
  ctx.record({ name: 'worker stayed up', value: String(result.workerAlive), target: 'true', pass: result.workerAlive });
  ctx.record({
    name: 'sync + score + write-back completed',
    value: String(result.jobCompleted && result.pendingWrites === 0),
    target: 'true',
    pass: result.jobCompleted && result.pendingWrites === 0,
  });
  ctx.record({ name: 'seconds to complete (from the storm start)', value: Number(result.secondsToComplete.toFixed(1)), unit: 's' });
  ctx.record({ name: 'card reads 200', value: result.cardStatuses['200'] ?? 0 });
  ctx.record({ name: 'card reads 503', value: result.cardStatuses['503'] ?? 0 });
  const other = statuses.filter((s) => s !== '200' && s !== '503').reduce((sum, s) => sum + (result.cardStatuses[s] ?? 0), 0);
  ctx.record({ name: 'card reads neither 200 nor 503', value: other, target: '0', pass: other === 0 });
  ctx.log(JSON.stringify({ section: 'faults', ...result, serveStderr: undefined, workerStderr: undefined }));
}

export const section: BenchSection = {
  name: 'faults',
  description: 'serve + worker through 60 s of pg_terminate_backend every 2 s (sync + score + write-back, 50 card reads)',
  run,
};
