// Fault bench (issue #18): a 20,000-contact synthetic portal synced, scored and written back by real worker
// processes on PostgreSQL while every database connection is terminated three times and one worker is
// SIGKILLed, compared record by record with a clean run (server/src/jobs/test-support/fault-run.ts).
// `npm test` runs the same at 1,500 contacts (test/jobs/faults-writeback.test.ts). Prints one JSON line.

import { runWriteBackFaults } from '../../src/jobs/test-support/fault-run.ts';
import type { BenchSection } from '../section.ts';

export const section: BenchSection = {
  name: 'faults-writeback',
  description: 'sync + score + write-back under 3 × pg_terminate_backend and a SIGKILL vs a clean run',
  async run(ctx) {
    const contacts = ctx.quick ? 5_000 : 20_000;
    const report = await runWriteBackFaults({ contacts, timeoutMs: 30 * 60_000 });
    ctx.log(JSON.stringify({ section: 'faults-writeback', contacts, ...report }));
    ctx.record({ name: 'records compared', value: report.records });
    ctx.record({
      name: 'records whose final values differ from the clean run',
      value: report.mismatched,
      target: '= 0',
      pass: report.mismatched === 0,
    });
    ctx.record({ name: 'records lost', value: report.lost, target: '= 0', pass: report.lost === 0 });
    ctx.record({ name: 'most extra writes of one record', value: report.maxExtraWrites, target: '≤ 1', pass: report.maxExtraWrites <= 1 });
    ctx.record({ name: 'records written one extra time', value: report.recordsWithExtraWrite });
    ctx.record({ name: 'connections terminated (3 rounds)', value: report.terminatedConnections });
    ctx.record({ name: 'workers SIGKILLed', value: report.kills, target: '= 1', pass: report.kills === 1 });
    ctx.record({ name: 'workers that exited on their own (restarted)', value: report.unexpectedExits });
    ctx.record({ name: 'clean run', value: Number(report.cleanSeconds.toFixed(1)), unit: 's' });
    ctx.record({ name: 'faulted run', value: Number(report.faultedSeconds.toFixed(1)), unit: 's' });
  },
};
