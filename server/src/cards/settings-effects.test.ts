import type { SettingsValues } from '@closewise/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SCORE_KINDS, type ScoreDetails, scoreDetailsSchema } from '../scoring/details.ts';
import { listModels } from '../scoring/model-store.ts';
import { buildPortalStats } from '../scoring/portal-stats.ts';
import { scoreTenant } from '../scoring/score.ts';
import { loadTenantData } from '../scoring/tenant-data.ts';
import { smallPortal } from '../scoring/test-support/fixtures.ts';
import { createTestTenant, loadPortalIntoStore } from '../scoring/test-support/load-portal.ts';
import { proposalStage } from '../scoring/timeline.ts';
import { trainTenantModels } from '../scoring/train.ts';
import { DAY_MS } from '../scoring/values.ts';
import { openTestPglite, type TestStore } from '../test-support/stores.ts';
import { readCardSettings, writeCardSettings } from './card-settings.ts';

/**
 * Every value the settings page saves changes what the product does next: each test saves a value through
 * the page's own write path and watches the next training or scoring on a real store. Each fails if the
 * setting were stored but ignored (the default would give the other outcome). The retraining schedule's
 * effect is proven in jobs/tenant-retrain-schedule.test.ts (both engines).
 */
const TENANT = 'settings-effects';
let store: TestStore;
let now: Date;
let defaults: SettingsValues;

beforeAll(async () => {
  store = await openTestPglite();
  const portal = smallPortal(21);
  now = new Date(portal.now);
  await createTestTenant(store.db, TENANT);
  await loadPortalIntoStore(store.db, TENANT, portal);
  await trainTenantModels(store.db, TENANT, { now, seed: 1 });
  defaults = (await readCardSettings(store.db, TENANT)).values;
}, 240_000);
afterAll(() => store.dispose());
beforeEach(async () => {
  await save({});
  await store.db.deleteFrom('scores').where('tenant_id', '=', TENANT).execute();
});

async function save(patch: Partial<SettingsValues>): Promise<void> {
  await writeCardSettings(store.db, TENANT, { ...defaults, ...patch });
}

async function scoresOf(kind: string, at?: Date): Promise<{ id: string; details: ScoreDetails }[]> {
  let query = store.db.selectFrom('scores').selectAll().where('tenant_id', '=', TENANT).where('score_kind', '=', kind);
  if (at) query = query.where('scored_at', '=', at);
  return (await query.execute()).map((row) => ({ id: row.external_id, details: scoreDetailsSchema.parse(row.details) }));
}

const withAction = (rows: { details: ScoreDetails }[], id: string) => rows.filter((r) => r.details.nextActions.some((a) => a.id === id));

describe('settings page values take effect', () => {
  it('excluded properties (standard and custom) leave the next trained models’ feature lists', async () => {
    const field = await store.db
      .selectFrom('custom_fields')
      .select('name')
      .where('tenant_id', '=', TENANT)
      .where('object_type', '=', 'contact')
      .executeTakeFirstOrThrow();
    const excluded = ['deal.amount', 'company.industry', `custom:${field.name}`];
    const sourcesOf = async (target: 'deal_win_at_creation' | 'contact_fit') => {
      const [latest] = (await listModels(store.db, TENANT, target)).sort((a, b) => b.version - a.version);
      return new Set(latest?.card.features.map((f) => f.source));
    };
    // The first training used every input.
    for (const source of ['deal.amount', 'company.industry']) expect(await sourcesOf('deal_win_at_creation')).toContain(source);
    expect(await sourcesOf('contact_fit')).toContain(`custom:${field.name}`);

    await save({ excludedProperties: excluded });
    await trainTenantModels(store.db, TENANT, { now, seed: 1, targets: ['deal_win_at_creation', 'contact_fit'] });
    const deal = await sourcesOf('deal_win_at_creation');
    const fit = await sourcesOf('contact_fit');
    for (const source of excluded) {
      expect(deal).not.toContain(source);
      expect(fit).not.toContain(source);
    }
    expect(deal).toContain('deal.stage');
  }, 240_000);

  it('the first-proposal stage is the after-proposal model’s anchor', async () => {
    const settings = await readCardSettings(store.db, TENANT);
    const pipeline = settings.availablePipelines[0]!;
    const open = pipeline.stages.filter((s) => !s.closed);
    const afterProposal = async (stageId: string) => {
      await save({ pipelines: [{ pipelineId: pipeline.id, included: true, firstProposalStageId: stageId }] });
      const data = await loadTenantData(store.db, TENANT);
      expect(proposalStage(data, pipeline.id)?.stageId).toBe(stageId);
      const at = new Date(now.getTime() + Math.round(Math.random() * 1000));
      await scoreTenant(store.db, TENANT, { now: at });
      const deals = await scoresOf(SCORE_KINDS.deal, at);
      return deals.filter((d) => d.details.model?.target === 'deal_win_after_proposal').length;
    };
    const earliest = await afterProposal(open[0]!.id);
    const latest = await afterProposal(open[open.length - 1]!.id);
    // Anchored at the first open stage every open deal has passed it; at the last, only deals that reached it.
    expect(earliest).toBeGreaterThan(latest);
    // And the anchor moves the after-proposal training snapshots too.
    const data = await loadTenantData(store.db, TENANT);
    const stats = buildPortalStats(data);
    const reached = [...stats.facts.values()].filter((f) => f.proposalAt !== null).length;
    await save({ pipelines: [{ pipelineId: pipeline.id, included: true, firstProposalStageId: open[0]!.id }] });
    const earlyStats = buildPortalStats(await loadTenantData(store.db, TENANT));
    expect([...earlyStats.facts.values()].filter((f) => f.proposalAt !== null).length).toBeGreaterThan(reached);
  }, 120_000);

  it('the variance threshold decides which falls raise "probability fell" in the next scoring', async () => {
    const later = new Date(now.getTime() + 21 * DAY_MS);
    const snapshot = async () => store.db.selectFrom('scores').selectAll().where('tenant_id', '=', TENANT).execute();
    await scoreTenant(store.db, TENANT, { now });
    const before = await snapshot();
    const dropsAt = async (threshold: number) => {
      await store.db.deleteFrom('scores').where('tenant_id', '=', TENANT).execute();
      for (const row of before)
        await store.db
          .insertInto('scores')
          .values({ ...row, details: JSON.stringify(row.details) })
          .execute();
      await save({ varianceThreshold: threshold });
      await scoreTenant(store.db, TENANT, { now: later });
      const deals = await scoresOf(SCORE_KINDS.deal, later);
      const falls = deals.map((d) => (d.details.previousProbability ?? 0) - d.details.probability);
      return { flagged: withAction(deals, 'deal.probability_drop').length, falls };
    };
    const all = await dropsAt(0);
    const positive = all.falls.filter((f) => f > 0).sort((a, b) => a - b);
    expect(positive.length).toBeGreaterThan(3);
    expect(all.flagged).toBe(positive.length);
    const median = positive[Math.floor(positive.length / 2)]!;
    const some = await dropsAt(median);
    expect(some.flagged).toBe(positive.filter((f) => f > median).length);
    expect(some.flagged).toBeLessThan(all.flagged);
    expect((await dropsAt(1)).flagged).toBe(0);
  }, 120_000);

  it('the stalled-deal percentile decides which deals are called stalled', async () => {
    const stalledAt = async (percentile: number) => {
      await save({ stalledDealPercentile: percentile });
      const at = new Date(now.getTime() + percentile);
      await scoreTenant(store.db, TENANT, { now: at });
      return withAction(await scoresOf(SCORE_KINDS.deal, at), 'deal.stalled');
    };
    const loose = await stalledAt(50);
    const strict = await stalledAt(99);
    expect(loose.length).toBeGreaterThan(strict.length);
    expect(loose[0]?.details.nextActions.find((a) => a.id === 'deal.stalled')?.sentence).toContain('longer than 50% of won deals');
  }, 120_000);

  it('the lonely window decides which companies are lonely', async () => {
    const lonelyAt = async (days: number) => {
      await save({ lonelyWindowDays: days });
      const at = new Date(now.getTime() + days);
      await scoreTenant(store.db, TENANT, { now: at });
      const companies = await scoresOf(SCORE_KINDS.company, at);
      expect(companies.every((c) => c.details.facts?.['lonelyDays'] === days)).toBe(true);
      return companies.filter((c) => c.details.tier === 'lonely').length;
    };
    expect(await lonelyAt(2)).toBeGreaterThan(await lonelyAt(365));
  }, 120_000);

  it('a pipeline switched off is neither scored nor trained on', async () => {
    const settings = await readCardSettings(store.db, TENANT);
    const pipeline = settings.availablePipelines[0]!;
    await scoreTenant(store.db, TENANT, { now });
    expect((await scoresOf(SCORE_KINDS.deal, now)).length).toBeGreaterThan(0);
    await save({ pipelines: [{ pipelineId: pipeline.id, included: false, firstProposalStageId: null }] });
    const later = new Date(now.getTime() + 1000);
    const report = await scoreTenant(store.db, TENANT, { now: later });
    expect(report.counts.deals).toBe(0);
    expect(await scoresOf(SCORE_KINDS.deal, later)).toEqual([]);
    const training = await trainTenantModels(store.db, TENANT, { now, seed: 1, targets: ['deal_win_at_creation'] });
    expect(training.models[0]?.note).toMatch(/^thin data: 0 won \/ 0 lost/);
  }, 120_000);
});
