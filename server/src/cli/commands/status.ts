import type { PortalStatus } from '../../jobs/status.ts';
import { openRuntime } from '../../runtime/runtime.ts';
import type { Command } from '../command.ts';

function when(date: Date | null): string {
  return date ? date.toISOString().replace('T', ' ').slice(0, 16) : 'never';
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function render(portals: PortalStatus[], engine: string): string {
  if (portals.length === 0) return 'No portals installed.\n';
  const header = ['PORTAL', 'CRM', 'MODE', 'LAST SYNC', 'LAST TRAINING', 'MODELS', 'QUEUED', 'RUNNING', 'FAILED 24H', 'DEAD'];
  const rows = portals.map((p) => [
    `${p.name} (${p.portal})${p.active ? '' : ' [disabled]'}`,
    p.crm,
    p.mode,
    when(p.lastSync),
    when(p.lastTraining),
    Object.entries(p.modelVersions)
      .map(([target, version]) => `${target} v${version}`)
      .join(', ') || 'none',
    p.queueDepth === null ? '-' : String(p.queueDepth),
    p.running.join(', ') || '-',
    String(p.failures24h),
    String(p.deadLetters),
  ]);
  const problems = portals.flatMap((p) => [
    ...(p.paused ? [`  ${p.name}: ${p.paused}`] : []),
    ...(p.lastDeadLetter ? [`  ${p.name}: dead letter — ${p.lastDeadLetter}`] : []),
    ...(p.lastFailure ? [`  ${p.name}: last failure — ${p.lastFailure}`] : []),
    ...(p.outsideEdits.last
      ? [`  ${p.name}: ${p.outsideEdits.count} outside edit(s) of Closewise properties, last — ${p.outsideEdits.last}`]
      : []),
  ]);
  const note = engine === 'pglite' ? '\nQueue depth is not shown for the embedded store: its queue lives inside `closewise serve`.\n' : '';
  return `${table([header, ...rows])}\n${problems.length ? `\nProblems:\n${problems.join('\n')}\n` : ''}${note}`;
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'Per portal: last sync, last training, model versions, queued jobs, failures and dead letters.',
  options: { json: { type: 'boolean' } },
  optionHelp: { json: 'print JSON instead of a table' },
  async run({ values, io }) {
    const runtime = await openRuntime(io.env, { LOG_LEVEL: 'warn' });
    const { readPortalStatus, readQueueCounts } = await import('../../jobs/status.ts');
    try {
      const queues = runtime.config.DATABASE_URL ? await readQueueCounts(runtime.config.DATABASE_URL) : null;
      const portals = await readPortalStatus(runtime.store.db, queues);
      io.stdout.write(
        values.json ? `${JSON.stringify({ engine: runtime.store.engine, portals }, null, 2)}\n` : render(portals, runtime.store.engine),
      );
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
