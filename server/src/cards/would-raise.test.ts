import { contactCardSchema, dealCardSchema } from '@closewise/contract';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubSpotCardApiDeps } from '../http/hubspot-cards/deps.ts';
import { scoreTenant, trainTenantModels } from '../scoring/index.ts';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import { selectScore, selectScoresOfType } from '../store/tables/scores.ts';
import { type InstalledHubSpotTenant, installHubSpotTenant } from '../test-support/hubspot-tenant.ts';
import { createStoreCardDeps } from './hubspot-card-deps.ts';

type Suggestion = { action: string; label: string; probability: number; points: number };

/**
 * "What would raise it" end to end: sandbox → sync → train → score; then, for one deal or contact per
 * suggested action, the rep does exactly that in the CRM (a call logged now, a meeting booked for tomorrow,
 * an email sent, the close date moved), Closewise syncs and rescores at the same moment, and the new
 * probability must equal the estimate the card showed — the model's score of the modified record.
 */
describe('what would raise it', () => {
  const portal = generateSyntheticPortal({ seed: 11, contacts: 2000 });
  const now = new Date(portal.now);
  let installed: InstalledHubSpotTenant | undefined;
  let deps: HubSpotCardApiDeps;

  beforeAll(async () => {
    // The rep's edits are made a minute before the scoring moment, so a meeting booked then is known by then.
    installed = await installHubSpotTenant(portal, 'p', { clock: () => now.getTime() - 60_000, limits: false });
    const { store, connector, tenantId } = installed;
    await connector.sync(createStoreSyncSink(store.db, tenantId));
    await trainTenantModels(store.db, tenantId, { now, seed: 11 });
    await scoreTenant(store.db, tenantId, { now });
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

  it('estimates equal the rescored probability after the change is made in the CRM', async () => {
    const { store, connector, tenantId, sandbox } = installed!;
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url, numberOfApiCallRetries: 6 });
    const suggested = async (type: 'deal' | 'contact') =>
      (await selectScoresOfType(store.db, tenantId, type)).map((s) => ({
        id: s.externalId,
        raise: (s.details?.raise ?? []) as Suggestion[],
      }));
    const deals = await suggested('deal');
    const contacts = await suggested('contact');
    const withAny = (list: typeof deals) => list.filter((r) => r.raise.length > 0).length;
    console.log(`suggestions: ${withAny(deals)} of ${deals.length} deals, ${withAny(contacts)} of ${contacts.length} contacts`);
    expect(withAny(deals), 'deals with a suggestion').toBeGreaterThan(0);
    expect(withAny(contacts), 'contacts with a suggestion').toBeGreaterThan(0);

    // One record per (type, action): each gets only that change, so its rescore tests that estimate alone.
    const used = new Set<string>();
    const plan: { type: 'deal' | 'contact'; id: string; suggestion: Suggestion }[] = [];
    for (const [type, list] of [
      ['deal', deals],
      ['contact', contacts],
    ] as const) {
      for (const action of ['log_call', 'book_meeting', 'send_email', 'update_close_date']) {
        const record = list.find((r) => !used.has(r.id) && r.raise.some((s) => s.action === action));
        if (!record) continue;
        used.add(record.id);
        plan.push({ type, id: record.id, suggestion: record.raise.find((s) => s.action === action)! });
      }
    }
    console.log(`tested: ${plan.map((p) => `${p.type} ${p.suggestion.action} +${p.suggestion.points}`).join(', ')}`);
    expect(plan.length).toBeGreaterThanOrEqual(3);

    for (const { type, id, suggestion } of plan) {
      // The card shows the stored estimate, as a percentage, labelled as an estimate.
      const card =
        type === 'deal'
          ? dealCardSchema.parse(await deps.cards.deal(tenantId, id))
          : contactCardSchema.parse(await deps.cards.contact(tenantId, id));
      if (card.state !== 'scored') throw new Error(`expected a scored ${type}, got ${card.state}`);
      expect(card.raise?.find((r) => r.action === suggestion.action)?.estimate).toBe(Math.round(suggestion.probability * 1000) / 10);
      await doInCrm(client, type, id, suggestion.action, now.getTime());
    }

    await connector.sync(createStoreSyncSink(store.db, tenantId));
    await scoreTenant(store.db, tenantId, { now });
    for (const { type, id, suggestion } of plan) {
      const after = (await selectScore(store.db, tenantId, type, id))!;
      expect(after.details.probability, `${type} ${id} after ${suggestion.action}`).toBeCloseTo(suggestion.probability, 12);
    }
  }, 300_000);
});

const ASSOCIATION: Record<string, Record<'deal' | 'contact', number>> = {
  calls: { deal: 206, contact: 194 },
  meetings: { deal: 212, contact: 200 },
  emails: { deal: 210, contact: 198 },
};

/** What the rep does in HubSpot for each suggested action, as HubSpot's API takes it. */
async function doInCrm(client: Client, type: 'deal' | 'contact', id: string, action: string, now: number): Promise<void> {
  const to = (objectType: keyof typeof ASSOCIATION) => [
    {
      to: { id },
      types: [
        { associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: ASSOCIATION[objectType]![type] },
      ],
    },
  ];
  if (action === 'log_call') {
    await client.crm.objects.calls.basicApi.create({
      properties: { hs_timestamp: new Date(now).toISOString(), hs_call_direction: 'OUTBOUND', hs_call_body: 'Check-in call' },
      associations: to('calls'),
    });
  } else if (action === 'book_meeting') {
    await client.crm.objects.meetings.basicApi.create({
      properties: {
        hs_timestamp: new Date(now + 86_400_000).toISOString(),
        hs_meeting_title: 'Next step',
        hs_meeting_outcome: 'SCHEDULED',
      },
      associations: to('meetings'),
    });
  } else if (action === 'send_email') {
    await client.crm.objects.emails.basicApi.create({
      properties: { hs_timestamp: new Date(now).toISOString(), hs_email_direction: 'EMAIL', hs_email_subject: 'Following up' },
      associations: to('emails'),
    });
  } else if (action === 'update_close_date') {
    const today = new Date(now);
    const target = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + 30 * 86_400_000;
    await client.crm.deals.basicApi.update(id, { properties: { closedate: new Date(target).toISOString() } });
  } else {
    throw new Error(`no CRM step for ${action}`);
  }
}
