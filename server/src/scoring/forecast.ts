import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { buildPortalStats, type PortalStats } from './portal-stats.ts';
import { type LiveModels, loadLiveModels } from './runtime.ts';
import { predictDeals } from './score-deals.ts';
import type { TenantData } from './tenant-data.ts';
import { loadTenantData } from './tenant-data.ts';
import { type DealFacts, openAt, valueAt, visitAt } from './timeline.ts';
import { parseDate, parseNumber } from './values.ts';

/**
 * Forecast per pipeline and period: deal count, amount, stage-weighted amount (the CRM's stage probability
 * × amount) and model-weighted amount (win probability × amount). The backtest replays closed periods:
 * as of each period's first day, what did both methods expect, and what was actually won?
 */
export type Period = 'month' | 'quarter';

export interface ForecastLine {
  pipelineId: string;
  periodStart: string;
  periodEnd: string;
  deals: number;
  /** Of these, deals whose close date had already passed (still open): expected in this period now. */
  overdue: number;
  amount: number;
  stageWeighted: number;
  modelWeighted: number;
}

export interface BacktestLine extends ForecastLine {
  /** Won within the period, among the deals forecast for it (the like-for-like number). */
  actualWon: number;
  /** Everything won within the period, including deals created or re-dated after the forecast was made. */
  actualWonAll: number;
  /** Forecast deals won after the period (they slipped): weighted amounts estimate eventual wins, not timing. */
  wonLater: number;
  closer: 'stage' | 'model' | 'tie';
  /** The model had seen outcomes of this period in training: an optimistic replay. */
  inSample: boolean;
}

export interface ForecastReport {
  tenantId: string;
  now: string;
  period: Period;
  current: ForecastLine[];
  backtest: BacktestLine[];
  summary: { periods: number; modelCloser: number; stageCloser: number; stageMeanAbsError: number; modelMeanAbsError: number };
}

export function periodBounds(ms: number, period: Period): [number, number] {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const month = period === 'month' ? d.getUTCMonth() : Math.floor(d.getUTCMonth() / 3) * 3;
  const span = period === 'month' ? 1 : 3;
  return [Date.UTC(year, month, 1), Date.UTC(year, month + span, 1)];
}

const round = (v: number): number => Math.round(v * 100) / 100;
const pipelineOf = (facts: DealFacts): string => facts.pipelineId ?? 'default';
const amountAt = (facts: DealFacts, t: number): number =>
  parseNumber(valueAt(facts.record, 'amount', t), { field: 'deal.amount' }, { nonNegative: true }) ?? 0;

async function lineFor(
  data: TenantData,
  stats: PortalStats,
  models: LiveModels,
  deals: DealFacts[],
  t: number,
  bounds: [number, number],
): Promise<Map<string, ForecastLine & { ids: string[] }>> {
  const chosen = deals.filter((facts) => {
    if (!openAt(facts, t)) return false;
    const close = parseDate(valueAt(facts.record, 'close_date', t), { field: 'deal.close_date' });
    // Open deals whose close date already passed are still expected now: they count in the period too.
    return close !== null && close < bounds[1];
  });
  const predictions = await predictDeals(data, stats, models, chosen, t, false);
  const lines = new Map<string, ForecastLine & { ids: string[] }>();
  for (const facts of chosen) {
    const pipelineId = pipelineOf(facts);
    const line = lines.get(pipelineId) ?? {
      pipelineId,
      periodStart: new Date(bounds[0]).toISOString(),
      periodEnd: new Date(bounds[1]).toISOString(),
      deals: 0,
      overdue: 0,
      amount: 0,
      stageWeighted: 0,
      modelWeighted: 0,
      ids: [],
    };
    const amount = amountAt(facts, t);
    line.deals += 1;
    const close = parseDate(valueAt(facts.record, 'close_date', t), { field: 'deal.close_date' });
    if (close !== null && close < bounds[0]) line.overdue += 1;
    line.amount += amount;
    line.stageWeighted += amount * (visitAt(facts, t)?.stage?.probability ?? 0);
    line.modelWeighted += amount * (predictions.get(facts.record.id)?.probability ?? 0);
    line.ids.push(facts.record.id);
    lines.set(pipelineId, line);
  }
  return lines;
}

export async function forecast(
  db: Kysely<Database>,
  tenantId: string,
  options: { now: Date; period: Period; backtestPeriods?: number },
): Promise<ForecastReport> {
  const now = options.now.getTime();
  const models = await loadLiveModels(db, tenantId, options.now);
  const data = await loadTenantData(db, tenantId);
  const stats = buildPortalStats(data);
  const deals = [...stats.facts.values()].sort((a, b) => a.record.id.localeCompare(b.record.id));
  const strip = ({ ids: _ids, ...line }: ForecastLine & { ids: string[] }): ForecastLine => ({
    ...line,
    amount: round(line.amount),
    stageWeighted: round(line.stageWeighted),
    modelWeighted: round(line.modelWeighted),
  });

  const current = [...(await lineFor(data, stats, models, deals, now, periodBounds(now, options.period))).values()].map(strip);

  const count = options.backtestPeriods ?? (options.period === 'month' ? 6 : 4);
  const cutoffs = Object.values(models)
    .filter((m) => m.model.target.startsWith('deal'))
    .map((m) => (m.model.card.holdout.cutoff ? Date.parse(m.model.card.holdout.cutoff) : Number.POSITIVE_INFINITY));
  const heldOutFrom = Math.max(...cutoffs);
  const backtest: BacktestLine[] = [];
  let [start] = periodBounds(now, options.period);
  for (let k = 0; k < count; k += 1) {
    const end = start;
    start = periodBounds(end - 1, options.period)[0];
    const lines = await lineFor(data, stats, models, deals, start, [start, end]);
    const wonIn = (facts: DealFacts) =>
      facts.outcome === 'won' && facts.closedAt !== null && facts.closedAt >= start && facts.closedAt < end;
    const pipelines = new Set([...lines.keys(), ...deals.filter(wonIn).map(pipelineOf)]);
    for (const pipelineId of [...pipelines].sort()) {
      const line = lines.get(pipelineId);
      const ids = new Set(line?.ids ?? []);
      const finalAmount = (facts: DealFacts) => amountAt(facts, facts.closedAt ?? now);
      const actualWon = deals.filter((f) => ids.has(f.record.id) && wonIn(f)).reduce((s, f) => s + finalAmount(f), 0);
      const wonLater = deals
        .filter((f) => ids.has(f.record.id) && f.outcome === 'won' && f.closedAt !== null && f.closedAt >= end)
        .reduce((s, f) => s + finalAmount(f), 0);
      const actualWonAll = deals.filter((f) => pipelineOf(f) === pipelineId && wonIn(f)).reduce((s, f) => s + finalAmount(f), 0);
      const base = line
        ? strip(line)
        : {
            pipelineId,
            periodStart: new Date(start).toISOString(),
            periodEnd: new Date(end).toISOString(),
            deals: 0,
            overdue: 0,
            amount: 0,
            stageWeighted: 0,
            modelWeighted: 0,
          };
      const stageError = Math.abs(base.stageWeighted - actualWon);
      const modelError = Math.abs(base.modelWeighted - actualWon);
      backtest.push({
        ...base,
        actualWon: round(actualWon),
        actualWonAll: round(actualWonAll),
        wonLater: round(wonLater),
        closer: Math.abs(stageError - modelError) < 0.005 ? 'tie' : modelError < stageError ? 'model' : 'stage',
        inSample: start < heldOutFrom,
      });
    }
  }
  backtest.sort((a, b) => a.periodStart.localeCompare(b.periodStart) || a.pipelineId.localeCompare(b.pipelineId));
  const n = backtest.length || 1;
  return {
    tenantId,
    now: options.now.toISOString(),
    period: options.period,
    current,
    backtest,
    summary: {
      periods: backtest.length,
      modelCloser: backtest.filter((b) => b.closer === 'model').length,
      stageCloser: backtest.filter((b) => b.closer === 'stage').length,
      stageMeanAbsError: round(backtest.reduce((s, b) => s + Math.abs(b.stageWeighted - b.actualWon), 0) / n),
      modelMeanAbsError: round(backtest.reduce((s, b) => s + Math.abs(b.modelWeighted - b.actualWon), 0) / n),
    },
  };
}
