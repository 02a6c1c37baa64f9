import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCORE_KINDS, scoreDetailsSchema } from '../scoring/details.ts';
import { scoreTenant } from '../scoring/score.ts';
import { smallPortal } from '../scoring/test-support/fixtures.ts';
import { createTestTenant, loadPortalIntoStore } from '../scoring/test-support/load-portal.ts';
import { trainTenantModels, WAITING_FOR_PROPOSAL_STAGE } from '../scoring/train.ts';
import { openTestPglite, type TestStore } from '../test-support/stores.ts';
import { readCardSettings, writeCardSettings } from './card-settings.ts';

/**
 * HubSpot's default pipeline names no stage like a proposal. Closewise used to take the middle open stage
 * as the proposal and train the after-proposal model on it (on Maven's two-stage pipeline: "Engaging"). Now
 * the model waits for the admin's choice, the settings page asks for it, and every open deal is scored by the
 * at-creation model until then; once chosen, the next training builds the after-proposal model.
 */
const TENANT = 'first-proposal-wait';
let store: TestStore;
let now: Date;

beforeAll(async () => {
  store = await openTestPglite();
  const portal = smallPortal(21);
  now = new Date(portal.now);
  // No choice saved: what a fresh install of a HubSpot portal has.
  await createTestTenant(store.db, TENANT, { scoring: { proposalStages: {} } });
  await loadPortalIntoStore(store.db, TENANT, portal);
}, 120_000);
afterAll(() => store.dispose());

const dealTargets = async (at: Date) =>
  (
    await store.db
      .selectFrom('scores')
      .select('details')
      .where('tenant_id', '=', TENANT)
      .where('score_kind', '=', SCORE_KINDS.deal)
      .where('scored_at', '=', at)
      .execute()
  ).map((row) => scoreDetailsSchema.parse(row.details).model?.target);

describe('the after-proposal model without a first-proposal stage', () => {
  it('waits for the admin, the settings page asks, and choosing a stage trains it', async () => {
    const before = await trainTenantModels(store.db, TENANT, { now, seed: 1 });
    const waiting = before.models.find((m) => m.target === 'deal_win_after_proposal')!;
    expect(waiting.source).toBe('prior');
    expect(waiting.note).toContain(WAITING_FOR_PROPOSAL_STAGE);
    await scoreTenant(store.db, TENANT, { now });
    const targets = await dealTargets(now);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.every((t) => t === 'deal_win_at_creation')).toBe(true);

    const settings = await readCardSettings(store.db, TENANT);
    expect(settings.needsFirstProposalStage).toEqual(['default']);

    await writeCardSettings(store.db, TENANT, {
      ...settings.values,
      pipelines: [{ pipelineId: 'default', included: true, firstProposalStageId: 'presentationscheduled' }],
    });
    expect((await readCardSettings(store.db, TENANT)).needsFirstProposalStage).toEqual([]);
    const after = await trainTenantModels(store.db, TENANT, { now, seed: 1 });
    expect(after.models.find((m) => m.target === 'deal_win_after_proposal')!.source).toBe('portal');
    const later = new Date(now.getTime() + 1000);
    await scoreTenant(store.db, TENANT, { now: later });
    expect((await dealTargets(later)).some((t) => t === 'deal_win_after_proposal')).toBe(true);
  }, 240_000);
});
