import type { AddressInfo } from 'node:net';
import { companyCardSchema, contactCardSchema, dealCardSchema } from '@closewise/contract';
import { createCardPreview } from '@closewise/hubspot-app/preview';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { Client } from '@hubspot/api-client';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCardPreviewRouter } from '../http/hubspot-cards/preview-router.ts';
import { createHubSpotCardRouter } from '../http/hubspot-cards/router.ts';
import { markScoresWritten, pendingScoreWrites, scoreTenant, trainTenantModels } from '../scoring/index.ts';
import { createStoreSyncSink } from '../store/sync-sink.ts';
import { type InstalledHubSpotTenant, installHubSpotTenant } from '../test-support/hubspot-tenant.ts';
import { createStoreCardDeps } from './hubspot-card-deps.ts';

/** Human text of a card response: every string a rep reads, not the machine fields (ids, enums, dates, feature keys). */
const MACHINE_KEYS = new Set([
  'id',
  'state',
  'direction',
  'feature',
  'severity',
  'type',
  'version',
  'source',
  'priorityTier',
  'level',
  'grade',
  'fit',
  'scoredAt',
  'previousScoredAt',
  'lastActivityAt',
  'dueDate',
]);

function humanStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) humanStrings(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (!MACHINE_KEYS.has(k)) humanStrings(v, out);
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A hash, a long numeric id or a URL: nothing a rep can read or act on. */
const IDENTIFIER_LIKE = [/\b[0-9a-f]{16,}\b/i, /\b\d{6,}\b/, /https?:\/\//i, /\bwww\./i];

/**
 * The acceptance check of issue 19 on the synthetic portal, every record of it: sandbox (HubSpot-shaped
 * enumerations with labels) → connector sync → train → score → card API. No card text carries a raw option
 * value whose label differs, nor an identifier; each card is titled with its record's name, and the model
 * is named in words.
 */
describe('cards speak in the CRM’s labels and names', () => {
  const portal = generateSyntheticPortal({ seed: 19 });
  const now = new Date(portal.now);
  let installed: InstalledHubSpotTenant | undefined;
  let deps: ReturnType<typeof createStoreCardDeps>;
  /** Raw option value → its label, for every enumeration option of the portal whose label differs from its value. */
  const labelled = new Map<string, string>();
  let lifecycleLabels: Set<string>;

  beforeAll(async () => {
    installed = await installHubSpotTenant(portal, 'labels');
    const { sandbox, store, connector, tenantId } = installed;
    const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
    for (const type of ['deals', 'contacts', 'companies']) {
      for (const property of (await client.crm.properties.coreApi.getAll(type)).results) {
        if (property.type !== 'enumeration') continue;
        for (const option of property.options) {
          if (option.value.toLowerCase() !== option.label.toLowerCase() && option.value.length >= 3)
            labelled.set(option.value, option.label);
        }
        if (type === 'contacts' && property.name === 'lifecyclestage') lifecycleLabels = new Set(property.options.map((o) => o.label));
      }
    }
    await connector.sync(createStoreSyncSink(store.db, tenantId));
    await trainTenantModels(store.db, tenantId, { now, seed: 19 });
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
  }, 300_000);
  afterAll(async () => {
    await installed?.stop();
  });

  it('the sandbox defines HubSpot’s enumerations with their labels', async () => {
    expect(labelled.get('COMPUTER_SOFTWARE')).toBe('Computer Software');
    expect(labelled.get('ORGANIC_SEARCH')).toBe('Organic Search');
    expect(labelled.get('salesqualifiedlead')).toBe('Sales Qualified Lead');
    expect(labelled.get('ATTEMPTED_TO_CONTACT')).toBe('Attempted to Contact');
    expect(labelled.get('organic_search')).toBe('Organic search');
    const client = new Client({ accessToken: installed!.sandbox.privateAppToken, basePath: installed!.sandbox.url });
    const industry = await client.crm.properties.coreApi.getByName('companies', 'industry');
    expect(industry).toMatchObject({ type: 'enumeration', fieldType: 'select' });
    expect(industry.options[0]).toEqual({ label: expect.any(String), value: expect.any(String), displayOrder: 0, hidden: false });
  });

  it('no card of any deal, contact or company prints a raw option value, an identifier or an internal model name', async () => {
    const { tenantId, ids } = installed!;
    const patterns = [...labelled.keys()].map((value) => ({
      value,
      re: new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(value)}(?![A-Za-z0-9_])`),
    }));
    const raw: string[] = [];
    const identifiers: string[] = [];
    const badTitles: string[] = [];
    const badModels = new Set<string>();
    let scored = 0;
    let texts = 0;
    const check = (what: string, card: Record<string, unknown>, expectedName: string | null) => {
      if (card.state === 'scored') scored++;
      for (const text of humanStrings(card)) {
        texts++;
        for (const { value, re } of patterns) if (re.test(text)) raw.push(`${what}: ${value} in "${text}"`);
        if (IDENTIFIER_LIKE.some((re) => re.test(text))) identifiers.push(`${what}: "${text}"`);
        const lifecycle = /Lifecycle stage '([^']*)'/.exec(text)?.[1];
        if (lifecycle !== undefined && lifecycle !== 'unknown' && !lifecycleLabels.has(lifecycle))
          raw.push(`${what}: lifecycle '${lifecycle}'`);
      }
      if (expectedName && card.name !== expectedName) badTitles.push(`${what}: ${String(card.name)} ≠ ${expectedName}`);
      const model = card.model as { name?: string; source?: string } | undefined;
      if (model && (!model.name || /_|\bv\d/.test(model.name))) badModels.add(String(model.name));
    };
    for (const deal of portal.deals) {
      const id = ids.deals.get(deal.id)!;
      check(`deal ${id}`, dealCardSchema.parse(await deps.cards.deal(tenantId, id)), deal.properties.dealname ?? null);
    }
    for (const contact of portal.contacts) {
      const id = ids.contacts.get(contact.id)!;
      const name = [contact.properties.firstname, contact.properties.lastname].filter(Boolean).join(' ') || null;
      check(`contact ${id}`, contactCardSchema.parse(await deps.cards.contact(tenantId, id)), name);
    }
    for (const company of portal.companies) {
      const id = ids.companies.get(company.id)!;
      check(`company ${id}`, companyCardSchema.parse(await deps.cards.company(tenantId, id)), company.properties.name ?? null);
    }
    // Every record was read, most of them scored, with reasons to scan.
    expect(scored).toBeGreaterThan((portal.contacts.length + portal.companies.length) / 2);
    expect(texts).toBeGreaterThan(1000);
    expect({ raw: raw.length, sample: raw.slice(0, 5) }).toEqual({ raw: 0, sample: [] });
    expect(identifiers.slice(0, 5)).toEqual([]);
    expect(badTitles.slice(0, 5)).toEqual([]);
    expect([...badModels]).toEqual([]);
  }, 120_000);

  it('names the model in words: what it predicts, how many records it learned from, and when', async () => {
    const { tenantId, ids } = installed!;
    const open = portal.deals.find((d) => !['closedwon', 'closedlost'].includes(d.properties.dealstage ?? ''))!;
    const card = dealCardSchema.parse(await deps.cards.deal(tenantId, ids.deals.get(open.id)!));
    if (card.state !== 'scored') throw new Error('the open deal is not scored');
    expect(card.model.name).toMatch(
      /^Win chance (at creation|after the proposal), trained on [\d,]+ of your deals, \d{1,2} [A-Z][a-z]{2}$/,
    );
  });

  it('the card preview is titled with the record’s name, not its id', async () => {
    const { sandbox, ids } = installed!;
    const deal = portal.deals[0]!;
    const app = express();
    app.use(createHubSpotCardRouter(deps));
    const server = app.listen(0, '127.0.0.1');
    try {
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      app.use(createCardPreviewRouter(createCardPreview({ apiBaseUrl: origin, clientSecret: 's', portalId: sandbox.portalId })));
      const html = await (await fetch(`${origin}/preview/deals/${ids.deals.get(deal.id)}`, { signal: AbortSignal.timeout(30_000) })).text();
      const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
      expect(title).toContain(deal.properties.dealname!.replaceAll('&', '&amp;'));
      expect(title).not.toMatch(/deal \d+/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);
});
