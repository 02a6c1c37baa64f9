import { openRuntime } from '../../runtime/runtime.ts';
import type { BacktestReport } from '../../scoring/backtest.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';

/** `2026-05-01` or a full ISO timestamp; a date alone means its start (UTC). */
function parseCut(text: string): Date {
  const trimmed = text.trim();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? new Date(`${trimmed}T00:00:00Z`) : new Date(trimmed);
  if (trimmed === '' || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    throw new UsageError(`--as-of takes dates like 2026-05-01 (comma-separated for several), got '${text}'`);
  }
  return date;
}

const figure = (x: number | null, digits = 3) => (x === null ? '-' : x.toFixed(digits));

function render(reports: BacktestReport[]): string {
  const out: string[] = [];
  for (const report of reports) {
    out.push(`Tenant ${report.tenantId} (data up to ${report.dataEnd.slice(0, 16).replace('T', ' ')})`);
    for (const cut of report.cuts) {
      out.push(`  as of ${cut.asOf.slice(0, 10)}:`);
      for (const l of cut.lines) {
        const unresolved = l.unresolved ? `, ${l.unresolved} still open left out` : '';
        out.push(
          `    ${l.target.padEnd(24)} ${l.source.padEnd(6)} n=${String(l.rows).padStart(5)} positives=${String(l.positives).padStart(4)}  AUC ${figure(l.auc)}  ECE ${figure(l.ece)}  noise floor ${figure(l.eceNoiseFloor)}  predicted ${figure(l.meanPredicted)} vs ${figure(l.observedRate)} happened${unresolved}`,
        );
      }
    }
  }
  return `${out.join('\n')}\n`;
}

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'Train and score on the store as of past dates, and compare the scores with what happened after.',
  options: {
    'as-of': { type: 'string' },
    tenant: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  },
  optionHelp: {
    'as-of': 'cut dates, comma-separated (e.g. 2026-03-01,2026-05-01); each needs 90 days of data after it',
    tenant: 'tenant id (default: every tenant in the store)',
    seed: 'training seed (default 1)',
    json: 'print JSON instead of text',
  },
  details:
    'Per cut and model: records scored, AUC, ECE and its noise floor (the mean ECE of labels drawn from the scores ' +
    'themselves). Deals: open at the cut, outcome = won (deals still open at the end of the data are left out). ' +
    'Contacts: not yet customers at the cut, outcome = customer within 90 days after it. Nothing is written.',
  async run({ values, io }) {
    const asOf = values['as-of'];
    if (typeof asOf !== 'string' || asOf.trim() === '') throw new UsageError('--as-of is required (e.g. --as-of 2026-05-01)');
    const cuts = asOf.split(',').map(parseCut);
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number ≥ 0, got '${values.seed}'`);
    const runtime = await openRuntime(io.env, { LOG_LEVEL: 'warn' });
    try {
      // Loaded on use: the trainer and ONNX Runtime, which other commands never need.
      const [{ backtestTenant }, { selectAllTenantSummaries }] = await Promise.all([
        import('../../scoring/backtest.ts'),
        import('../../store/tables/tenants.ts'),
      ]);
      const tenants = (await selectAllTenantSummaries(runtime.store.db)).map((t) => t.id);
      const wanted = typeof values.tenant === 'string' ? [values.tenant] : tenants;
      const unknown = wanted.find((id) => !tenants.includes(id));
      if (unknown !== undefined)
        throw new UsageError(`--tenant: no tenant '${unknown}' in the store (tenants: ${tenants.join(', ') || 'none'})`);
      const reports: BacktestReport[] = [];
      for (const tenantId of wanted) {
        reports.push(
          await backtestTenant(runtime.store.db, tenantId, {
            asOf: cuts,
            seed,
            onProgress: (step) => io.stderr.write(`${tenantId}: ${step}\n`),
          }),
        );
      }
      io.stdout.write(values.json ? `${JSON.stringify({ tenants: reports }, null, 2)}\n` : render(reports));
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
