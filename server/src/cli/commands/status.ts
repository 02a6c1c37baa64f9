import type { ModelDriftStatus, PortalStatus } from '../../jobs/status.ts';
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

/** One line per active model: its drift warning, or what the passing check measured. */
function driftLine(drift: ModelDriftStatus): string {
  const model = `${drift.target} v${drift.version}`;
  if (!drift.checked) return `${model}: drift not checked`;
  if (drift.warning) return `${model}: DRIFT — ${drift.warning}`;
  const shift = drift.largestShift ? `largest shift ${drift.largestShift.feature} PSI ${drift.largestShift.psi.toFixed(2)}, ` : '';
  return `${model}: no drift (newest ${drift.newestRows} rows: ${shift}calibration error ${drift.newestEce?.toFixed(3)} ≤ ${drift.eceBound?.toFixed(3)})`;
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
  const drift = portals.flatMap((p) => p.drift.map((d) => `  ${p.name}: ${driftLine(d)}`));
  const note = engine === 'pglite' ? '\nQueue depth is not shown for the embedded store: its queue lives inside `closewise serve`.\n' : '';
  return `${table([header, ...rows])}\n${problems.length ? `\nProblems:\n${problems.join('\n')}\n` : ''}${drift.length ? `\nDrift:\n${drift.join('\n')}\n` : ''}${note}`;
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'Per portal: last sync, last training, model versions and their drift, queued jobs, failures and dead letters.',
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
