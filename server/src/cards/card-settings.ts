import { type ModelAccuracy, modelTargetSchema, type SettingsResponse, type SettingsValues } from '@closewise/contract';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { BadInputError, NotFoundError } from '../errors/errors.ts';
import { parseJobSettings } from '../jobs/settings.ts';
import { modelInputCatalog } from '../scoring/features/catalog.ts';
import { listModels } from '../scoring/index.ts';
import { readScoringSettings } from '../scoring/settings.ts';
import { firstProposalStage } from '../scoring/timeline.ts';
import type { TenantSettings } from '../store/columns/tenant-settings.ts';
import type { Database } from '../store/schema.ts';
import { selectCustomFields } from '../store/tables/custom-fields.ts';
import { selectTenantSettings, updateTenantSettings } from '../store/tables/settings.ts';
import { selectStagesInDisplayOrder } from '../store/tables/stages.ts';

/**
 * The settings page's values, stored where the parts that use them read them: model inputs, thresholds,
 * pipelines and proposal stages under `settings.scoring` (the scoring core), the retraining schedule under
 * `settings.jobs.schedules.retrain` (the job layer, per portal). Earlier versions kept the stalled
 * percentile, lonely window and excluded pipelines under `settings.app`, which nothing read: such values
 * are shown until the next save moves them where they take effect.
 */
const legacyAppSettingsSchema = z
  .object({
    stalledDealPercentile: z.number().int().min(50).max(99).optional(),
    lonelyWindowDays: z.number().int().min(1).max(365).optional(),
    excludedPipelines: z.array(z.string()).optional(),
  })
  .catch({});

/** Shown while a portal has not saved a lonely window: scoring then uses a quarter of its won-deal cycle. */
const DEFAULT_LONELY_WINDOW_DAYS = 30;

const storedSettingsSchema = z
  .object({
    app: z.unknown().optional(),
    scoring: z.unknown().optional(),
    jobs: z
      .object({ schedules: z.object({ retrain: z.string().optional() }).passthrough().optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

async function rawSettings(db: Kysely<Database>, tenantId: string): Promise<TenantSettings> {
  const settings = await selectTenantSettings(db, tenantId);
  if (!settings) throw new NotFoundError(`tenant ${tenantId} does not exist`);
  return settings;
}

type AvailablePipeline = SettingsResponse['availablePipelines'][number];

/** Pipelines with their stages in display order; a stage's outcome (won/lost) came from the CRM's stage metadata at sync. */
async function pipelinesOf(db: Kysely<Database>, tenantId: string): Promise<AvailablePipeline[]> {
  const stages = await selectStagesInDisplayOrder(db, tenantId);
  const byPipeline = new Map<string, AvailablePipeline['stages']>();
  for (const s of stages) {
    const list = byPipeline.get(s.pipeline_id) ?? [];
    list.push({ id: s.stage_id, label: s.label, closed: s.outcome !== 'open' });
    byPipeline.set(s.pipeline_id, list);
  }
  return [...byPipeline].map(([id, list]) => ({ id, label: id === 'default' ? 'Sales pipeline' : id, stages: list }));
}

/** One entry per model, in the page's order: the champion's hold-out figures, or "not trained" honestly. */
function modelAccuracyOf(models: Awaited<ReturnType<typeof listModels>>): ModelAccuracy[] {
  return modelTargetSchema.options.map((target) => {
    const active = models.find((m) => m.status === 'active' && m.target === target);
    if (!active)
      return {
        target,
        source: 'not_trained',
        version: null,
        auc: null,
        ece: null,
        holdoutRows: null,
        lastTrainedAt: null,
        driftWarning: null,
      };
    const holdout = active.card.holdout;
    return {
      target,
      source: active.card.source,
      version: active.version,
      auc: holdout?.auc ?? null,
      ece: holdout?.ece ?? null,
      holdoutRows: holdout?.rows ?? null,
      lastTrainedAt: active.trainedAt.toISOString(),
      driftWarning: active.card.drift?.warning ?? null,
      ...(active.card.signal ? { firstSnapshotAuc: active.card.signal.auc, predictive: active.card.signal.predicts } : {}),
    };
  });
}

export async function readCardSettings(db: Kysely<Database>, tenantId: string): Promise<SettingsResponse> {
  const [raw, scoring, pipelines, customFields, models] = await Promise.all([
    rawSettings(db, tenantId),
    readScoringSettings(db, tenantId),
    pipelinesOf(db, tenantId),
    selectCustomFields(db, tenantId),
    listModels(db, tenantId),
  ]);
  const stored = storedSettingsSchema.parse(raw);
  const legacy = legacyAppSettingsSchema.parse(stored.app ?? {});
  const excludedPipelines = stored.scoring === undefined ? (legacy.excludedPipelines ?? []) : scoring.excludedPipelines;
  const jobs = parseJobSettings(stored.jobs ?? {});
  return {
    values: {
      varianceThreshold: scoring.varianceThreshold,
      stalledDealPercentile:
        stored.scoring === undefined ? (legacy.stalledDealPercentile ?? scoring.stalledDealPercentile) : scoring.stalledDealPercentile,
      lonelyWindowDays: scoring.lonelyWindowDays ?? legacy.lonelyWindowDays ?? DEFAULT_LONELY_WINDOW_DAYS,
      retrainingCron: jobs.schedules.retrain === 'off' ? '0 3 * * 0' : jobs.schedules.retrain,
      excludedProperties: scoring.excludedFields,
      pipelines: pipelines.map((p) => ({
        pipelineId: p.id,
        included: !excludedPipelines.includes(p.id),
        firstProposalStageId: scoring.proposalStages[p.id] ?? null,
      })),
    },
    availablePipelines: pipelines,
    needsFirstProposalStage: pipelines
      .filter((p) => !excludedPipelines.includes(p.id))
      .filter(
        (p) =>
          firstProposalStage(
            p.stages.filter((stage) => !stage.closed),
            (stage) => stage.id,
            scoring.proposalStages[p.id],
          ) === null,
      )
      .map((p) => p.id),
    availableProperties: modelInputCatalog(
      customFields.map((f) => ({ objectType: f.object_type, name: f.name, label: f.label, valueType: f.value_type })),
    ).map((input) => ({ name: input.source, label: input.label, objectType: input.objectType })),
    models: modelAccuracyOf(models),
  };
}

export async function writeCardSettings(db: Kysely<Database>, tenantId: string, values: SettingsValues): Promise<SettingsResponse> {
  const pipelines = await pipelinesOf(db, tenantId);
  for (const setting of values.pipelines) {
    const pipeline = pipelines.find((p) => p.id === setting.pipelineId);
    if (!pipeline) throw new BadInputError(`pipelines: unknown pipeline '${setting.pipelineId}'`);
    if (!setting.firstProposalStageId) continue;
    const stage = pipeline.stages.find((s) => s.id === setting.firstProposalStageId);
    if (!stage) throw new BadInputError(`pipelines: pipeline '${setting.pipelineId}' has no stage '${setting.firstProposalStageId}'`);
    // A closed stage ends the deal: a model "after the first proposal" anchored there would score nothing open.
    if (stage.closed) {
      throw new BadInputError(
        `pipelines: '${stage.label}' in pipeline '${pipeline.label}' is a closed stage (won or lost); choose the open stage in which the first proposal is sent`,
        { field: 'pipelines.firstProposalStageId', pipelineId: pipeline.id, stageId: stage.id },
      );
    }
  }
  const raw = await rawSettings(db, tenantId);
  const stored = storedSettingsSchema.parse(raw);
  const jobs = parseJobSettings({
    ...(stored.jobs ?? {}),
    schedules: { ...(stored.jobs?.schedules ?? {}), retrain: values.retrainingCron },
  });
  const scoring = await readScoringSettings(db, tenantId);
  // The legacy `app` section goes: its values now live under `scoring`, where they take effect.
  const { app: _legacy, ...rest } = raw;
  const next = {
    ...rest,
    scoring: {
      ...scoring,
      varianceThreshold: values.varianceThreshold,
      stalledDealPercentile: values.stalledDealPercentile,
      lonelyWindowDays: values.lonelyWindowDays,
      excludedPipelines: values.pipelines.filter((p) => !p.included).map((p) => p.pipelineId),
      excludedFields: values.excludedProperties,
      proposalStages: Object.fromEntries(
        values.pipelines.filter((p) => p.firstProposalStageId).map((p) => [p.pipelineId, p.firstProposalStageId as string]),
      ),
    },
    jobs: { ...(stored.jobs ?? {}), schedules: { ...(stored.jobs?.schedules ?? {}), retrain: jobs.schedules.retrain } },
  };
  await updateTenantSettings(db, tenantId, next);
  return readCardSettings(db, tenantId);
}
