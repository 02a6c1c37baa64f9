import type { Kysely } from 'kysely';
import { BadInputError } from '../errors/errors.ts';
import type { Database } from '../store/schema.ts';
import { eceNoise, expectedCalibrationError, loadScorer, rocAuc } from './engine.ts';
import type { StoredModel } from './model-store.ts';
import { buildPortalStats } from './portal-stats.ts';
import type { LiveModel, LiveModels } from './runtime.ts';
import { scoreContacts } from './score-contacts.ts';
import { openDeals, predictDeals } from './score-deals.ts';
import { CONVERSION_WINDOW_DAYS, conversionTime, type ModelTarget } from './snapshots.ts';
import { loadTenantData, type TenantData } from './tenant-data.ts';
import { tenantDataAsOf } from './tenant-data-as-of.ts';
import { MODEL_TARGETS, trainTargetInMemory } from './train.ts';
import { DAY_MS } from './values.ts';

export interface BacktestLine {
  target: ModelTarget;
  source: 'portal' | 'prior';
  /** Records scored at the cut whose outcome is known by the end of the data, and how many converted / won. */
  rows: number;
  positives: number;
  /** Open deals at the cut still open at the end of the data: no outcome yet, left out. */
  unresolved: number;
  auc: number | null;
  ece: number | null;
  /** Mean ECE of labels drawn from the scores themselves: what a perfectly calibrated model gets on these rows. */
  eceNoiseFloor: number | null;
  meanPredicted: number | null;
  observedRate: number | null;
}

export interface BacktestCut {
  asOf: string;
  lines: BacktestLine[];
}

export interface BacktestReport {
  tenantId: string;
  /** The newest moment in the store's data: outcomes after it are unknown. */
  dataEnd: string;
  cuts: BacktestCut[];
}

const HORIZON_MS = CONVERSION_WINDOW_DAYS * DAY_MS;

/** The newest timestamp the store holds for this tenant (records and activities). */
function dataEndOf(data: TenantData): number {
  let end = Number.NEGATIVE_INFINITY;
  for (const record of data.records.values()) end = Math.max(end, record.updatedAt ?? record.createdAt ?? end);
  for (const list of data.activities.values()) for (const a of list) end = Math.max(end, a.at);
  return end;
}

/** An in-memory model dressed as the store's, so the scoring code (which names the model it used) can run it. */
async function liveModelOf(target: ModelTarget, trained: Awaited<ReturnType<typeof trainTargetInMemory>>, at: number): Promise<LiveModel> {
  const model: StoredModel = {
    id: 0,
    target,
    version: 0,
    status: 'candidate',
    trainedAt: new Date(at),
    card: {
      target,
      source: trained.source,
      features: trained.features,
      excludedFeatures: [],
      dataQuality: [],
      holdout: {},
      trainedOnData: {},
    },
    featureSpec: trained.featureSpec,
    onnx: trained.onnx,
  };
  return { model, features: trained.features, scorer: await loadScorer({ onnx: trained.onnx, featureSpec: trained.featureSpec }) };
}

function lineOf(
  target: ModelTarget,
  source: 'portal' | 'prior',
  labels: number[],
  predictions: number[],
  unresolved: number,
  seed: number,
): BacktestLine {
  const positives = labels.filter((y) => y === 1).length;
  const both = positives > 0 && positives < labels.length;
  const any = labels.length > 0;
  return {
    target,
    source,
    rows: labels.length,
    positives,
    unresolved,
    auc: both ? rocAuc(labels, predictions) : null,
    ece: any ? expectedCalibrationError(labels, predictions) : null,
    eceNoiseFloor: any ? eceNoise(predictions, seed).mean : null,
    meanPredicted: any ? predictions.reduce((a, b) => a + b, 0) / predictions.length : null,
    observedRate: any ? positives / labels.length : null,
  };
}

/**
 * For each cut: trains every model on the store as it was at the cut (records created later, history and
 * activities after it are cut away), scores what a run at the cut would have scored (open deals with their
 * stage's model, every contact not yet a customer), and compares with what happened after: deals won or lost
 * later (still open at the data's end: left out), contacts that became customers within 90 days of the cut.
 * The profile-only fit model is trained (scoring needs it) but not measured: its probability is conversion
 * within 90 days of creation, which a cut cannot observe for contacts created long before it.
 * Nothing is written to the store.
 */
export async function backtestTenant(
  db: Kysely<Database>,
  tenantId: string,
  options: { asOf: Date[]; seed?: number; onProgress?: (step: string) => void },
): Promise<BacktestReport> {
  const seed = options.seed ?? 1;
  const full = await loadTenantData(db, tenantId);
  const fullStats = buildPortalStats(full);
  const dataEnd = dataEndOf(full);
  if (!Number.isFinite(dataEnd)) throw new BadInputError(`tenant ${tenantId} has no data to backtest on`);
  for (const cut of options.asOf) {
    if (cut.getTime() + HORIZON_MS > dataEnd) {
      throw new BadInputError(
        `--as-of ${cut.toISOString().slice(0, 10)}: the ${CONVERSION_WINDOW_DAYS}-day outcome window would end after the newest data of tenant ${tenantId} (${new Date(dataEnd).toISOString().slice(0, 10)}); pick a date on or before ${new Date(dataEnd - HORIZON_MS).toISOString().slice(0, 10)}`,
      );
    }
  }
  const cuts: BacktestCut[] = [];
  for (const cut of options.asOf) {
    const t = cut.getTime();
    options.onProgress?.(`training as of ${cut.toISOString()}`);
    const past = tenantDataAsOf(full, t);
    const pastStats = buildPortalStats(past);
    const trained = new Map<ModelTarget, Awaited<ReturnType<typeof trainTargetInMemory>>>();
    const live = {} as LiveModels;
    for (const target of MODEL_TARGETS) {
      const model = await trainTargetInMemory(past, target, { now: t, seed });
      trained.set(target, model);
      live[target] = await liveModelOf(target, model, t);
    }
    options.onProgress?.(`scoring as of ${cut.toISOString()}`);
    const lines: BacktestLine[] = [];

    const deals = await predictDeals(past, pastStats, live, openDeals(pastStats, t), t, false);
    for (const target of ['deal_win_at_creation', 'deal_win_after_proposal'] as const) {
      const labels: number[] = [];
      const predictions: number[] = [];
      let unresolved = 0;
      for (const [id, scored] of deals) {
        if (scored.target !== target) continue;
        const outcome = fullStats.facts.get(id)?.outcome ?? null;
        if (outcome === null) unresolved++;
        else {
          labels.push(outcome === 'won' ? 1 : 0);
          predictions.push(scored.probability);
        }
      }
      lines.push(lineOf(target, trained.get(target)!.source, labels, predictions, unresolved, seed));
    }

    // Contacts that are customers by the cut are not scored for conversion (the trainer draws none either).
    const candidates = past.contacts.filter((c) => {
      const converted = conversionTime(past, c.id);
      return converted === null || converted > t;
    });
    const contacts = await scoreContacts(past, pastStats, live, t, new Set(), candidates);
    const converted = contacts.map((c) => {
      const at = conversionTime(full, c.record.id);
      return at !== null && at > t && at <= t + HORIZON_MS ? 1 : 0;
    });
    lines.push(
      lineOf(
        'contact_close_90d',
        trained.get('contact_close_90d')!.source,
        converted,
        contacts.map((c) => c.likelihood),
        0,
        seed,
      ),
    );
    cuts.push({ asOf: cut.toISOString(), lines });
  }
  return { tenantId, dataEnd: new Date(dataEnd).toISOString(), cuts };
}
