import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPglite, type TestStore } from '../../test-support/stores.ts';
import { StoredValueError } from '../columns/parse-column.ts';
import type { ScoreDetails } from '../columns/score-details.ts';
import { selectCardRead } from '../reads/record-card.ts';
import { selectRecordScopeRows } from '../reads/record-scope.ts';
import type { Database } from '../schema.ts';
import { createStoreSyncSink } from '../sync-sink.ts';
import { selectLiveActivities } from './activities.ts';
import { selectAssociations } from './associations.ts';
import { liveRecordExists, selectLiveRecords } from './crm-records.ts';
import { selectCustomFieldLabels, selectCustomFields } from './custom-fields.ts';
import { selectFieldOptions } from './field-options.ts';
import { activateModel, insertCandidateModel, selectActiveModel, selectModelCard, selectModels } from './models.ts';
import { selectPortalContext, upsertPortalContext } from './portal-contexts.ts';
import { selectPropertyHistory } from './property-history.ts';
import {
  selectDealScoreLines,
  selectProbabilities,
  selectScore,
  selectScoredIds,
  selectScoresOfLiveRecords,
  selectScoresOfRecords,
  selectScoresOfType,
  selectTopScoredId,
  upsertScores,
} from './scores.ts';
import { selectScoringSettings, selectTenantSettings } from './settings.ts';
import { addSnooze, selectSnoozed } from './snoozes.ts';
import { selectStages, selectStagesInDisplayOrder } from './stages.ts';
import { insertTenantRow, selectTenant } from './tenants.ts';

const TENANTS = { a: 'tenant-a', b: 'tenant-b' } as const;
const AT = new Date('2026-11-01T00:00:00.000Z');

function details(marker: string): ScoreDetails {
  return {
    kind: 'deal_win',
    probability: 0.4,
    score: 40,
    tier: null,
    dealScore: 2,
    grade: null,
    trend: 'steady',
    previousProbability: null,
    history: [{ probability: 0.4, scoredAt: AT.toISOString() }],
    change: null,
    raise: [],
    reasons: [{ source: 'deal.amount', direction: 'positive', impact: 0.2, text: `${marker} reason` }],
    nextActions: [],
    model: null,
    flags: [],
    dataQuality: [],
    facts: {},
    write: { winProbability: 0.4, topReasons: `${marker} reason` },
    written: null,
  };
}

/** Two tenants with the same record ids and a record of their own each; every text names its tenant. */
async function fill(db: Kysely<Database>, tenantId: string, marker: string): Promise<void> {
  await insertTenantRow(db, {
    id: tenantId,
    crm: 'hubspot',
    externalId: tenantId,
    name: marker,
    authMode: 'private_app',
    tokenCiphertext: null,
    tokenExpiresAt: null,
    settings: { scoring: { excludedFields: [`custom:${marker}`] }, app: { marker } },
  });
  const sink = createStoreSyncSink(db, tenantId);
  await sink.stages([
    { pipelineId: 'default', stageId: 'open', label: `${marker} stage`, displayOrder: 1, probability: 0.5, outcome: 'open' },
  ]);
  await sink.customFields([{ objectType: 'deal', name: marker, label: `${marker} field`, valueType: 'string' }]);
  await sink.fieldOptions?.([{ objectType: 'company', field: 'industry', options: [{ value: marker, label: `${marker} label` }] }]);
  const deal = (id: string) => ({
    objectType: 'deal' as const,
    externalId: id,
    createdAt: AT,
    updatedAt: AT,
    archived: false,
    properties: { name: `${marker} deal`, stage: 'open' },
    history: [{ property: 'stage', value: `${marker} open`, changedAt: AT }],
  });
  await sink.records([deal('shared'), deal(`${marker}-own`)]);
  await sink.activities([{ kind: 'note', externalId: 'shared-note', occurredAt: AT, direction: null, properties: { outcome: marker } }]);
  await sink.associations([{ fromType: 'note', fromId: 'shared-note', toType: 'deal', toId: `${marker}-own` }]);
  await upsertScores(db, tenantId, 'deal', [
    { externalId: 'shared', details: details(marker), scoredAt: AT, writtenBackAt: null },
    { externalId: `${marker}-own`, details: details(marker), scoredAt: AT, writtenBackAt: null },
  ]);
  const model = await insertCandidateModel(db, tenantId, {
    target: 'deal_win_at_creation',
    trainedAt: AT,
    card: {
      target: 'deal_win_at_creation',
      source: 'portal',
      features: [],
      excludedFeatures: [],
      dataQuality: [],
      holdout: { auc: 0.7 },
      trainedOnData: { marker },
    },
    featureSpec: {
      format: 'closewise.feature-spec',
      version: 1,
      inputName: 'input',
      probabilityOutput: 'probabilities',
      positiveIndex: 1,
      features: [{ name: `${marker}_feature`, type: 'numeric' }],
      calibration: { method: 'none' },
    },
    onnx: new Uint8Array([1, 2, 3]),
    metrics: {},
  });
  await activateModel(db, tenantId, 'deal_win_at_creation', model.id);
  await addSnooze(db, tenantId, `deal/shared/${marker}-action`, '2026-12-01');
  await upsertPortalContext(db, tenantId, {
    computedAt: AT.toISOString(),
    settingsKey: `${marker} settings`,
    models: {},
    deals: { stageNorms: {}, owners: {} },
    contacts: { priorityCuts: [0, 0, 0], fitCuts: [0, 0, 0], engagementCuts: [null, null, null] },
    companies: { lonelyDays: 30, medianEngagement: 0, maxEngagement: 0 },
  });
}

describe('store table modules', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestPglite();
    await fill(store.db, TENANTS.a, 'AAA');
    await fill(store.db, TENANTS.b, 'BBB');
  }, 60_000);
  afterAll(async () => {
    await store?.dispose();
  });

  /** Every tenant-scoped read, called for tenant A. */
  const reads: [string, (db: Kysely<Database>, tenantId: string) => Promise<unknown>][] = [
    ['selectTenant', selectTenant],
    ['selectTenantSettings', selectTenantSettings],
    ['selectScoringSettings', selectScoringSettings],
    ['selectSnoozed', selectSnoozed],
    ['selectLiveRecords', selectLiveRecords],
    ['selectPropertyHistory', selectPropertyHistory],
    ['selectLiveActivities', selectLiveActivities],
    ['selectAssociations', selectAssociations],
    ['selectStages', selectStages],
    ['selectStagesInDisplayOrder', selectStagesInDisplayOrder],
    ['selectCustomFields', selectCustomFields],
    ['selectCustomFieldLabels', selectCustomFieldLabels],
    ['selectFieldOptions', selectFieldOptions],
    ['selectModels', (db, t) => selectModels(db, t)],
    ['selectActiveModel', (db, t) => selectActiveModel(db, t, 'deal_win_at_creation')],
    ['selectModelCard', (db, t) => selectModelCard(db, t, 'deal_win_at_creation', 1)],
    ['selectScoresOfType', (db, t) => selectScoresOfType(db, t, 'deal')],
    ['selectScore', (db, t) => selectScore(db, t, 'deal', 'shared')],
    ['selectScoresOfLiveRecords', selectScoresOfLiveRecords],
    [
      'selectScoresOfLiveRecords (some)',
      (db, t) => selectScoresOfLiveRecords(db, t, { objectType: 'deal', externalIds: ['shared', 'BBB-own'] }),
    ],
    ['selectScoresOfRecords', (db, t) => selectScoresOfRecords(db, t, 'deal', ['shared', 'AAA-own', 'BBB-own'])],
    [
      'selectRecordScopeRows',
      (db, t) => selectRecordScopeRows(db, t, { objectType: 'deal', externalIds: ['shared', 'AAA-own', 'BBB-own'] }),
    ],
    ['selectPortalContext', selectPortalContext],
    ['selectDealScoreLines', selectDealScoreLines],
    ['selectScoredIds', (db, t) => selectScoredIds(db, t, 'deal', 10)],
    ['selectTopScoredId', (db, t) => selectTopScoredId(db, t, 'deal')],
    ['selectCardRead', (db, t) => selectCardRead(db, t, 'deal', 'shared')],
  ];

  it.each(reads)('%s returns tenant A its own rows and none of tenant B', async (_name, read) => {
    const text = JSON.stringify(await read(store.db, TENANTS.a));
    expect(text).toMatch(/AAA|tenant-a/);
    expect(text).not.toMatch(/BBB|tenant-b/);
  });

  it('answers by-id questions about another tenant’s record as if it did not exist', async () => {
    expect(await liveRecordExists(store.db, TENANTS.a, 'deal', 'BBB-own')).toBe(false);
    expect(await liveRecordExists(store.db, TENANTS.a, 'deal', 'AAA-own')).toBe(true);
    expect(await selectScore(store.db, TENANTS.a, 'deal', 'BBB-own')).toBeNull();
    expect(await selectCardRead(store.db, TENANTS.a, 'deal', 'BBB-own')).toBeNull();
    expect(await selectProbabilities(store.db, TENANTS.a, 'deal')).toHaveLength(2);
  });

  it('rejects a malformed stored JSON value with an error naming the column and the row', async () => {
    await sql`update scores set details = jsonb_set(details, '{probability}', '"high"') where tenant_id = ${TENANTS.a} and external_id = 'AAA-own'`.execute(
      store.db,
    );
    const read = selectScore(store.db, TENANTS.a, 'deal', 'AAA-own');
    await expect(read).rejects.toThrow(StoredValueError);
    await expect(read).rejects.toThrow(/stored scores\.details of deal AAA-own \(tenant tenant-a\) is malformed: probability: /);
    await expect(selectCardRead(store.db, TENANTS.a, 'deal', 'AAA-own')).rejects.toThrow(StoredValueError);
    // A bulk read skips the row instead of failing a whole scoring run; the next run overwrites it.
    const bulk = await selectScoresOfType(store.db, TENANTS.a, 'deal');
    expect(bulk.find((s) => s.externalId === 'AAA-own')?.details).toBeNull();
    expect(bulk.find((s) => s.externalId === 'shared')?.details?.probability).toBe(0.4);

    await sql`update models set feature_spec = '{"format":"closewise.feature-spec"}'::jsonb where tenant_id = ${TENANTS.a}`.execute(
      store.db,
    );
    await expect(selectModels(store.db, TENANTS.a)).rejects.toThrow(
      /feature_spec of models row \d+ \(tenant tenant-a, deal_win_at_creation v1\)/,
    );
  });
});
