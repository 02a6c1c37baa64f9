import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPglite, type TestStore } from '../test-support/stores.ts';
import { SCORE_KINDS, scoreDetailsSchema } from './details.ts';
import { forecast } from './forecast.ts';
import { readRecordInsights } from './insights.ts';
import { isRetrainDue, listModels, rollbackModel } from './model-store.ts';
import { retrainIfDue } from './schedule.ts';
import { scoreRecords, scoreTenant } from './score.ts';
import { smallPortal } from './test-support/fixtures.ts';
import { createTestTenant, loadPortalIntoStore } from './test-support/load-portal.ts';
import { type TrainingReport, trainTenantModels } from './train.ts';
import { markScoresWritten, pendingScoreWrites } from './write-back.ts';

const TENANT = 'scoring';
let store: TestStore;
let now: Date;
let training: TrainingReport;

beforeAll(async () => {
  store = await openTestPglite();
  const portal = smallPortal(21);
  now = new Date(portal.now);
  await createTestTenant(store.db, TENANT);
  await loadPortalIntoStore(store.db, TENANT, portal);
  training = await trainTenantModels(store.db, TENANT, { now, seed: 1 });
  await scoreTenant(store.db, TENANT, { now });
}, 180_000);
afterAll(() => store.dispose());

async function scores(kind: string) {
  const rows = await store.db.selectFrom('scores').selectAll().where('tenant_id', '=', TENANT).where('score_kind', '=', kind).execute();
  return rows.map((row) => ({ ...row, details: scoreDetailsSchema.parse(row.details) }));
}

describe('training on a portal with enough history', () => {
  it('trains every target as the portal’s own champion with a time hold-out', () => {
    expect(training.models.map((m) => m.target)).toEqual([
      'deal_win_at_creation',
      'deal_win_after_proposal',
      'contact_close_90d',
      'contact_fit',
    ]);
    for (const model of training.models) {
      console.log(
        `${model.target}: hold-out AUC ${model.holdout.auc.toFixed(3)} ECE ${model.holdout.ece.toFixed(3)} n=${model.holdout.labels.length}`,
      );
      expect(model).toMatchObject({ source: 'portal', version: 1, champion: true });
      expect(model.holdout.recordIds.length).toBe(model.holdout.labels.length);
      expect(model.holdout.predictions.every((p) => p > 0 && p < 1)).toBe(true);
    }
    // Accuracy against the planted truth is checked on full-size portals in accuracy.test.ts; this portal is small.
    expect(training.models.find((m) => m.target === 'contact_close_90d')!.holdout.auc).toBeGreaterThan(0.6);
  });
});

describe('scores', () => {
  it('scores every open deal, with at least one reason, a 1–5 score and the model version that produced it', async () => {
    const deals = await scores(SCORE_KINDS.deal);
    const open = await store.db
      .selectFrom('crm_records')
      .innerJoin('stages', (j) =>
        j
          .onRef('stages.tenant_id', '=', 'crm_records.tenant_id')
          .on((eb) => eb(eb.ref('crm_records.properties', '->>').key('stage'), '=', eb.ref('stages.stage_id'))),
      )
      .select('crm_records.external_id')
      .where('crm_records.tenant_id', '=', TENANT)
      .where('crm_records.object_type', '=', 'deal')
      .where('stages.outcome', '=', 'open')
      .execute();
    expect(deals.length).toBe(open.length);
    for (const deal of deals) {
      expect(deal.details.reasons.length).toBeGreaterThanOrEqual(1);
      expect(deal.details.dealScore).toBeGreaterThanOrEqual(1);
      expect(deal.details.dealScore).toBeLessThanOrEqual(5);
      expect(deal.probability).toBeGreaterThan(0);
      expect(deal.probability).toBeLessThan(1);
      expect(deal.details.model?.source).toBe('portal');
      expect(deal.model_id).toBe(deal.details.model?.id);
    }
  });

  it('words reasons with actual values, positives and negatives', async () => {
    const deals = await scores(SCORE_KINDS.deal);
    const texts = deals.flatMap((d) => d.details.reasons.map((r) => r.text));
    expect(texts.some((t) => /\d/.test(t))).toBe(true);
    expect(deals.some((d) => d.details.reasons.some((r) => r.direction === 'positive'))).toBe(true);
    expect(deals.some((d) => d.details.reasons.some((r) => r.direction === 'negative'))).toBe(true);
    expect(deals.every((d) => d.details.reasons.filter((r) => r.direction === 'positive').length <= 3)).toBe(true);
  });

  it('gives contacts priority quartiles, A1–D4 grades and company engagement levels', async () => {
    const contacts = await scores(SCORE_KINDS.contact);
    const counts = { very_high: 0, high: 0, medium: 0, low: 0 } as Record<string, number>;
    for (const c of contacts) counts[c.details.tier!]! += 1;
    expect(counts['very_high']! / contacts.length).toBeGreaterThan(0.15);
    expect(counts['very_high']! / contacts.length).toBeLessThan(0.3);
    expect(contacts.every((c) => /^[A-D][1-4]$/.test(c.details.grade ?? ''))).toBe(true);
    const companies = await scores(SCORE_KINDS.company);
    expect(new Set(companies.map((c) => c.details.tier))).toEqual(new Set(['high', 'medium', 'lonely']));
  });

  it('reads a deal card from the stored details', async () => {
    const [deal] = await scores(SCORE_KINDS.deal);
    const card = await readRecordInsights(store.db, TENANT, 'deal', deal!.external_id);
    expect(card).toMatchObject({ objectType: 'deal', prior: false, model: { version: 1, source: 'portal' } });
    expect(card!.reasons.length).toBeGreaterThan(0);
    expect(await readRecordInsights(store.db, TENANT, 'deal', 'no-such-deal')).toBeNull();
  });
});

describe('per-record rescoring', () => {
  it('rescoring named records gives what a full run gives, and touches no other record', async () => {
    const deals = await scores(SCORE_KINDS.deal);
    const contacts = await scores(SCORE_KINDS.contact);
    const [deal, other] = deals;
    const later = new Date(now.getTime() + 3_600_000);
    const dealReport = await scoreRecords(store.db, TENANT, { now: later, objectType: 'deal', externalIds: [deal!.external_id] });
    expect(dealReport.counts).toEqual({ deals: 1, contacts: 0, companies: 0 });
    const contactReport = await scoreRecords(store.db, TENANT, {
      now: later,
      objectType: 'contact',
      externalIds: [contacts[0]!.external_id],
    });
    expect(contactReport.counts).toEqual({ deals: 0, contacts: 1, companies: 0 });
    const after = await scores(SCORE_KINDS.deal);
    const rescored = after.find((d) => d.external_id === deal!.external_id)!;
    expect(new Date(rescored.scored_at).getTime()).toBe(later.getTime());
    expect(new Date(after.find((d) => d.external_id === other!.external_id)!.scored_at).getTime()).toBe(now.getTime());
    // One hour later nothing about the deal changed, so neither does its score or its reasons.
    expect(rescored.probability).toBeCloseTo(deal!.probability, 2);
    expect(rescored.details.reasons.map((r) => r.source)).toEqual(deal!.details.reasons.map((r) => r.source));
    const contact = (await scores(SCORE_KINDS.contact)).find((c) => c.external_id === contacts[0]!.external_id)!;
    expect(contact.details.tier).toBe(contacts[0]!.details.tier);
    expect(contact.details.reasons.length).toBe(contacts[0]!.details.reasons.length);
  });
});

describe('write-back', () => {
  it('sends every record once, then only what changed', async () => {
    const first = await pendingScoreWrites(store.db, TENANT);
    expect(first.length).toBeGreaterThan(0);
    expect(first.find((w) => w.objectType === 'deal')?.fields.winProbability).toBeTypeOf('number');
    await markScoresWritten(store.db, TENANT, first, now);
    expect(await pendingScoreWrites(store.db, TENANT)).toEqual([]);
    // Rescoring at the same moment changes nothing, so nothing is re-sent.
    await scoreTenant(store.db, TENANT, { now });
    expect(await pendingScoreWrites(store.db, TENANT)).toEqual([]);
  });
});

describe('retraining', () => {
  it('keeps every version, records the champion decision, and lets an admin roll back', async () => {
    expect(await isRetrainDue(store.db, TENANT, now, 7)).toBe(false);
    expect(await isRetrainDue(store.db, TENANT, new Date(now.getTime() + 8 * 86_400_000), 7)).toBe(true);
    const second = await trainTenantModels(store.db, TENANT, { now, seed: 2, targets: ['deal_win_at_creation'] });
    const [model] = second.models;
    expect(model!.version).toBe(2);
    expect(model!.note).toMatch(/champion v1/);
    await rollbackModel(store.db, TENANT, 'deal_win_at_creation', 1);
    const versions = await listModels(store.db, TENANT, 'deal_win_at_creation');
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'active'],
      [2, model!.champion ? 'retired' : 'candidate'],
    ]);
    await expect(rollbackModel(store.db, TENANT, 'deal_win_at_creation', 9)).rejects.toThrow(/version 9/);
  });

  it('retrains on schedule only when due, and replaces a champion older than 90 days', async () => {
    expect(await retrainIfDue(store.db, TENANT, { now })).toBeNull();
    const later = new Date(now.getTime() + 100 * 86_400_000);
    const report = await trainTenantModels(store.db, TENANT, { now: later, targets: ['deal_win_at_creation'] });
    expect(report.models[0]).toMatchObject({ version: 3, champion: true });
    expect(report.models[0]!.note).toMatch(/champion v1 is 100 days old/);
  });
});

describe('forecast', () => {
  it('prints both weighted amounts next to what was actually won, per closed period', async () => {
    const report = await forecast(store.db, TENANT, { now, period: 'quarter' });
    expect(report.backtest.length).toBeGreaterThanOrEqual(3);
    const lines = report.backtest.map(
      (b) =>
        `${b.periodStart.slice(0, 10)} ${b.pipelineId}: ${b.deals} deals, stage-weighted ${b.stageWeighted.toFixed(0)}, model-weighted ${b.modelWeighted.toFixed(0)}, actually won ${b.actualWon.toFixed(0)} (all won ${b.actualWonAll.toFixed(0)}, won after slipping ${b.wonLater.toFixed(0)}) → ${b.closer} closer${b.inSample ? ' [in-sample]' : ''}`,
    );
    console.log(`forecast backtest (quarters):\n${lines.join('\n')}`);
    for (const b of report.backtest) {
      expect(b.stageWeighted).toBeLessThanOrEqual(b.amount + 0.01);
      expect(b.modelWeighted).toBeLessThanOrEqual(b.amount + 0.01);
      expect(b.actualWon).toBeLessThanOrEqual(b.actualWonAll + 0.01);
    }
    expect(report.backtest.some((b) => b.actualWon > 0)).toBe(true);
    expect(report.current.every((c) => c.deals > 0 && c.amount >= c.modelWeighted)).toBe(true);
    const monthly = await forecast(store.db, TENANT, { now, period: 'month' });
    expect(monthly.backtest.length).toBeGreaterThanOrEqual(6);
  });
});
