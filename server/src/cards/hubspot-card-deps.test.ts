import { randomBytes } from 'node:crypto';
import { companyCardSchema, contactCardSchema, dealCardSchema, settingsResponseSchema } from '@closewise/contract';
import type { HubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubSpotConnector } from '../connectors/hubspot/hubspot-connector.ts';
import type { HubSpotCardApiDeps } from '../http/hubspot-cards/deps.ts';
import { markScoresWritten, pendingScoreWrites, scoreTenant, trainTenantModels } from '../scoring/index.ts';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import { upsertTenant } from '../tenants/tenant-repository.ts';
import { type InstalledHubSpotTenant, installHubSpotTenant } from '../test-support/hubspot-tenant.ts';
import type { TestStore } from '../test-support/stores.ts';
import { createStoreCardDeps } from './hubspot-card-deps.ts';

/** The card API's real backend on a small synthetic portal: sandbox → connector sync → train → score → cards. */
describe('store-backed card data, actions and settings', () => {
  const portal = generateSyntheticPortal({ seed: 11, contacts: 400 });
  const now = new Date(portal.now);
  let sandbox: HubSpotSandbox;
  let store: TestStore;
  let deps: HubSpotCardApiDeps;
  let tenantId: string;
  let otherTenantId: string;
  let connector: HubSpotConnector;
  let ids: InstalledHubSpotTenant['ids'];
  let installed: InstalledHubSpotTenant | undefined;

  beforeAll(async () => {
    installed = await installHubSpotTenant(portal, 'p');
    ({ sandbox, store, connector, tenantId, ids } = installed);
    const other = await upsertTenant(store.db, randomBytes(32), {
      crm: 'hubspot',
      externalId: '999',
      name: 'other',
      authMode: 'private_app',
      tokens: { accessToken: 'x' },
    });
    otherTenantId = other.id;
    await connector.sync(createStoreSyncSink(store.db, tenantId));
    await trainTenantModels(store.db, tenantId, { now, seed: 11 });
    await scoreTenant(store.db, tenantId, { now });
    const writes = await pendingScoreWrites(store.db, tenantId);
    await connector.writeScores(writes);
    await markScoresWritten(store.db, tenantId, writes, now);
    deps = createStoreCardDeps({
      db: store.db,
      clientSecret: 's',
      scoringNow: () => now,
      connectors: { forTenant: async () => connector },
    });
  }, 240_000);
  afterAll(async () => {
    await installed?.stop();
  });

  const openDealId = () => {
    const open = portal.deals.find((d) => !['closedwon', 'closedlost'].includes(d.properties.dealstage ?? ''))!;
    return ids.deals.get(open.id)!;
  };

  it('serves every card in its schema, and nothing for another tenant', async () => {
    const deal = dealCardSchema.parse(await deps.cards.deal(tenantId, openDealId()));
    expect(deal.state).toBe('scored');
    if (deal.state === 'scored') expect(deal.reasons.length).toBeGreaterThan(0);
    const contactId = ids.contacts.get(portal.contacts[0]!.id)!;
    expect(contactCardSchema.parse(await deps.cards.contact(tenantId, contactId)).state).toBe('scored');
    const companyId = ids.companies.get(portal.companies[0]!.id)!;
    const company = companyCardSchema.parse(await deps.cards.company(tenantId, companyId));
    expect(company.state).toBe('scored');
    expect(await deps.cards.deal(otherTenantId, openDealId())).toBeNull();
    expect(await deps.cards.contact(tenantId, '123456789')).toBeNull();
  });

  it("lists a company's open deals and its contacts, each best first", async () => {
    const open = (stage: string | null | undefined) => !['closedwon', 'closedlost'].includes(stage ?? '');
    const linked = (fromType: 'deal' | 'contact', companyId: string) =>
      portal.associations.filter((a) => a.fromType === fromType && a.toType === 'company' && a.toId === companyId).map((a) => a.fromId);
    const company = portal.companies.find((c) => {
      const deals = linked('deal', c.id).filter((d) => open(portal.deals.find((x) => x.id === d)?.properties.dealstage));
      return deals.length >= 2 && linked('contact', c.id).length >= 2;
    })!;
    const card = companyCardSchema.parse(await deps.cards.company(tenantId, ids.companies.get(company.id)!));
    if (card.state !== 'scored') throw new Error('expected a scored company');
    const expectedDeals = linked('deal', company.id)
      .filter((d) => open(portal.deals.find((x) => x.id === d)?.properties.dealstage))
      .map((d) => ids.deals.get(d)!);
    expect(card.openDeals.map((d) => d.id).sort()).toEqual(expectedDeals.sort());
    expect(card.contacts.map((c) => c.id).sort()).toEqual(
      linked('contact', company.id)
        .map((c) => ids.contacts.get(c)!)
        .sort(),
    );
    const probabilities = card.openDeals.map((d) => d.winProbability ?? -1);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
    const likelihoods = card.contacts.map((c) => c.closeLikelihood90d ?? -1);
    expect(likelihoods).toEqual([...likelihoods].sort((a, b) => b - a));
    expect(card.openDeals.every((d) => d.stageLabel.length > 0 && d.winProbability !== null)).toBe(true);
  });

  it('shows closed won and closed lost deals as closed, with no score Closewise never made', async () => {
    for (const [stage, outcome, label] of [
      ['closedwon', 'won', 'Closed Won'],
      ['closedlost', 'lost', 'Closed Lost'],
    ] as const) {
      const closed = portal.deals.find((d) => d.properties.dealstage === stage)!;
      const card = dealCardSchema.parse(await deps.cards.deal(tenantId, ids.deals.get(closed.id)!));
      if (card.state !== 'closed') throw new Error(`expected a closed card for a ${stage} deal, got ${card.state}`);
      expect(card).toMatchObject({ outcome, stageLabel: label, lastScoreBeforeClose: null });
      // Closed before the first scoring run: the close date is the portal's, before its "now".
      expect(Date.parse(card.closedAt!)).toBeLessThanOrEqual(now.getTime());
    }
  });

  it('says a contact who became a customer is one', async () => {
    const customer = portal.contacts.find((c) => c.properties.lifecyclestage === 'customer')!;
    const card = contactCardSchema.parse(await deps.cards.contact(tenantId, ids.contacts.get(customer.id)!));
    if (card.state !== 'customer') throw new Error(`expected a customer card, got ${card.state}`);
    expect(Date.parse(card.customerSince!)).toBeLessThanOrEqual(now.getTime());
  });

  it('snoozes an action until its date and creates tasks in the portal', async () => {
    const dealId = openDealId();
    const before = dealCardSchema.parse(await deps.cards.deal(tenantId, dealId));
    if (before.state !== 'scored' || before.nextActions.length === 0) throw new Error('expected a scored deal with actions');
    const first = before.nextActions[0]!;
    expect(await deps.actions.snooze(tenantId, 'deals', dealId, { actionId: first.id, until: '2026-11-08' })).toBe(true);
    const after = dealCardSchema.parse(await deps.cards.deal(tenantId, dealId));
    expect(after.state === 'scored' && after.nextActions.some((a) => a.id === first.id)).toBe(false);

    const task = await deps.actions.createTask(
      tenantId,
      'deals',
      dealId,
      { actionId: first.id, title: 'Call the champion', dueDate: '2026-11-05' },
      'key-123456',
    );
    expect(task?.taskId).toBeTruthy();
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url, numberOfApiCallRetries: 6 });
    const read = await client.crm.objects.tasks.basicApi.getById(task!.taskId, ['hs_task_subject'], undefined, ['deals']);
    expect(read.properties.hs_task_subject).toBe('Call the champion');
    expect(read.associations?.deals?.results.map((r) => r.id)).toContain(dealId);
    expect(
      await deps.actions.createTask(otherTenantId, 'deals', dealId, { actionId: 'x', title: 't', dueDate: '2026-11-05' }, 'key-abcdefgh'),
    ).toBeNull();
  });

  it('rescores one record on demand, only for its own tenant', async () => {
    const dealId = openDealId();
    expect(await deps.actions.rescore(tenantId, 'deals', dealId)).toBe(true);
    expect(dealCardSchema.parse(await deps.cards.deal(tenantId, dealId)).state).toBe('scored');
    expect(await deps.actions.rescore(otherTenantId, 'deals', dealId)).toBe(false);
  });

  it('reads and writes settings where scoring and jobs read them, rejecting unknown stages, closed stages and bad cron', async () => {
    const settings = settingsResponseSchema.parse(await deps.settings.read(tenantId));
    // All four models, each with its hold-out figures (or honestly not trained).
    expect(settings.models.map((m) => m.target)).toEqual([
      'contact_close_90d',
      'contact_fit',
      'deal_win_at_creation',
      'deal_win_after_proposal',
    ]);
    for (const model of settings.models) {
      expect(model.source).not.toBe('not_trained');
      expect(model.holdoutRows).toBeGreaterThan(0);
    }
    expect(settings.models.find((m) => m.target === 'deal_win_at_creation')?.auc).not.toBeNull();
    // Standard and custom inputs of every object type, labelled.
    const offered = new Map(settings.availableProperties.map((p) => [p.name, p]));
    expect(offered.get('deal.amount')).toMatchObject({ label: 'Amount', objectType: 'deal' });
    expect(offered.get('company.industry')).toMatchObject({ objectType: 'company' });
    expect(offered.get('contact.job_title')).toMatchObject({ objectType: 'contact' });
    expect(offered.get('custom:seats_requested')?.label).toBeTruthy();
    const pipeline = settings.availablePipelines[0]!;
    // Closed Won / Closed Lost come from HubSpot's stage metadata (isClosed, probability), not their names.
    expect(pipeline.stages.filter((s) => s.closed).length).toBe(2);
    const open = pipeline.stages.filter((s) => !s.closed);
    expect(open.length).toBeGreaterThan(2);
    const values = {
      ...settings.values,
      varianceThreshold: 0.2,
      excludedProperties: ['custom:seats_requested'],
      pipelines: [{ pipelineId: pipeline.id, included: true, firstProposalStageId: open[2]!.id }],
    };
    const saved = await deps.settings.write(tenantId, values);
    expect(saved.values.varianceThreshold).toBe(0.2);
    expect(saved.values.excludedProperties).toEqual(['custom:seats_requested']);
    expect(saved.values.pipelines[0]?.firstProposalStageId).toBe(open[2]!.id);
    const closed = pipeline.stages.find((s) => s.closed)!;
    await expect(
      deps.settings.write(tenantId, {
        ...values,
        pipelines: [{ pipelineId: pipeline.id, included: true, firstProposalStageId: closed.id }],
      }),
    ).rejects.toThrow(/is a closed stage \(won or lost\)/);
    await expect(
      deps.settings.write(tenantId, { ...values, pipelines: [{ pipelineId: pipeline.id, included: true, firstProposalStageId: 'nope' }] }),
    ).rejects.toThrow(/no stage 'nope'/);
    await expect(deps.settings.write(tenantId, { ...values, retrainingCron: '99 * * * *' })).rejects.toThrow(/schedules.retrain/);
  });

  it('shows the last probability before close once a scored deal is won', async () => {
    const open = portal.deals.filter((d) => !['closedwon', 'closedlost'].includes(d.properties.dealstage ?? ''));
    const dealId = ids.deals.get(open[1]!.id)!;
    const before = dealCardSchema.parse(await deps.cards.deal(tenantId, dealId));
    if (before.state !== 'scored') throw new Error('expected a scored open deal');
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url, numberOfApiCallRetries: 6 });
    await client.crm.deals.basicApi.update(dealId, { properties: { dealstage: 'closedwon' } });
    await connector.sync(createStoreSyncSink(store.db, tenantId));
    const after = dealCardSchema.parse(await deps.cards.deal(tenantId, dealId));
    if (after.state !== 'closed') throw new Error(`expected a closed card, got ${after.state}`);
    expect(after.outcome).toBe('won');
    expect(after.lastScoreBeforeClose).toEqual({ probability: before.winProbability, scoredAt: before.scoredAt });
    expect(Date.parse(after.closedAt!)).toBeGreaterThanOrEqual(Date.parse(before.scoredAt));
  });
});
