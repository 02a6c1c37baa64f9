import type { SettingsResponse, SettingsValues } from '@closewise/contract';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { BadInputError, NotFoundError } from '../errors/errors.ts';
import { parseJobSettings } from '../jobs/settings.ts';
import { listModels } from '../scoring/index.ts';
import { readScoringSettings } from '../scoring/settings.ts';
import type { TenantSettings } from '../store/columns/tenant-settings.ts';
import type { Database } from '../store/schema.ts';
import { selectCustomFieldLabels } from '../store/tables/custom-fields.ts';
import { selectTenantSettings, updateTenantSettings } from '../store/tables/settings.ts';
import { selectStagesInDisplayOrder } from '../store/tables/stages.ts';

/**
 * The settings page's values, stored where the parts that use them read them: model inputs, variance
 * threshold and proposal stages under `settings.scoring` (the scoring core), the retraining schedule under
 * `settings.jobs.schedules.retrain` (the job layer), and the page's own choices under `settings.app`.
 */
const appSettingsSchema = z
  .object({
    stalledDealPercentile: z.number().int().min(50).max(99).default(75),
    lonelyWindowDays: z.number().int().min(1).max(365).default(30),
    excludedPipelines: z.array(z.string()).default([]),
  })
  .catch({ stalledDealPercentile: 75, lonelyWindowDays: 30, excludedPipelines: [] });

const storedSettingsSchema = z
  .object({
    app: z.unknown().optional(),
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

async function pipelinesOf(db: Kysely<Database>, tenantId: string) {
  const stages = await selectStagesInDisplayOrder(db, tenantId);
  const byPipeline = new Map<string, { id: string; label: string }[]>();
  for (const s of stages) byPipeline.set(s.pipeline_id, [...(byPipeline.get(s.pipeline_id) ?? []), { id: s.stage_id, label: s.label }]);
  return [...byPipeline].map(([id, list]) => ({ id, label: id === 'default' ? 'Sales pipeline' : id, stages: list }));
}

export async function readCardSettings(db: Kysely<Database>, tenantId: string): Promise<SettingsResponse> {
  const [raw, scoring, pipelines, customFields, models] = await Promise.all([
    rawSettings(db, tenantId),
    readScoringSettings(db, tenantId),
    pipelinesOf(db, tenantId),
    selectCustomFieldLabels(db, tenantId),
    listModels(db, tenantId),
  ]);
  const stored = storedSettingsSchema.parse(raw);
  const app = appSettingsSchema.parse(stored.app ?? {});
  const jobs = parseJobSettings(stored.jobs ?? {});
  const active = models.filter((m) => m.status === 'active');
  const headline = active.find((m) => m.target === 'deal_win_at_creation') ?? active[0];
  return {
    values: {
      varianceThreshold: scoring.varianceThreshold,
      stalledDealPercentile: app.stalledDealPercentile,
      lonelyWindowDays: app.lonelyWindowDays,
      retrainingCron: jobs.schedules.retrain === 'off' ? '0 3 * * 0' : jobs.schedules.retrain,
      excludedProperties: scoring.excludedFields,
      pipelines: pipelines.map((p) => ({
        pipelineId: p.id,
        included: !app.excludedPipelines.includes(p.id),
        firstProposalStageId: scoring.proposalStages[p.id] ?? null,
      })),
    },
    availablePipelines: pipelines,
    availableProperties: customFields.map((f) => ({ name: `custom:${f.name}`, label: `${f.label} (${f.object_type})` })),
    modelAccuracy: {
      modelVersion: headline ? `${headline.target} v${headline.version}` : null,
      auc: headline?.card.holdout.auc ?? null,
      ece: headline?.card.holdout.ece ?? null,
      lastTrainedAt: headline ? headline.trainedAt.toISOString() : null,
    },
  };
}

export async function writeCardSettings(db: Kysely<Database>, tenantId: string, values: SettingsValues): Promise<SettingsResponse> {
  const pipelines = await pipelinesOf(db, tenantId);
  for (const setting of values.pipelines) {
    const pipeline = pipelines.find((p) => p.id === setting.pipelineId);
    if (!pipeline) throw new BadInputError(`pipelines: unknown pipeline '${setting.pipelineId}'`);
    if (setting.firstProposalStageId && !pipeline.stages.some((s) => s.id === setting.firstProposalStageId)) {
      throw new BadInputError(`pipelines: pipeline '${setting.pipelineId}' has no stage '${setting.firstProposalStageId}'`);
    }
  }
  const raw = await rawSettings(db, tenantId);
  const stored = storedSettingsSchema.parse(raw);
  const jobs = parseJobSettings({
    ...(stored.jobs ?? {}),
    schedules: { ...(stored.jobs?.schedules ?? {}), retrain: values.retrainingCron },
  });
  const scoring = await readScoringSettings(db, tenantId);
  const next = {
    ...raw,
    scoring: {
      ...scoring,
      varianceThreshold: values.varianceThreshold,
      excludedFields: values.excludedProperties,
      proposalStages: Object.fromEntries(
        values.pipelines.filter((p) => p.firstProposalStageId).map((p) => [p.pipelineId, p.firstProposalStageId as string]),
      ),
    },
    jobs: { ...(stored.jobs ?? {}), schedules: { ...(stored.jobs?.schedules ?? {}), retrain: jobs.schedules.retrain } },
    app: {
      stalledDealPercentile: values.stalledDealPercentile,
      lonelyWindowDays: values.lonelyWindowDays,
      excludedPipelines: values.pipelines.filter((p) => !p.included).map((p) => p.pipelineId),
    },
  };
  await updateTenantSettings(db, tenantId, next);
  return readCardSettings(db, tenantId);
}
