import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { appMetaSchema, cardMetaSchema, hsprojectSchema, settingsMetaSchema, webhooksMetaSchema } from './hsmeta-schemas.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcApp = join(projectRoot, 'src', 'app');

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function hsmetaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? hsmetaFiles(path) : entry.name.endsWith('-hsmeta.json') ? [path] : [];
  });
}

const schemaByFolder: Record<string, z.ZodType> = {
  app: appMetaSchema,
  cards: cardMetaSchema,
  settings: settingsMetaSchema,
  webhooks: webhooksMetaSchema,
};

describe('HubSpot project metadata', () => {
  const files = hsmetaFiles(srcApp);

  it('hsproject.json targets a supported platform version', () => {
    const project = hsprojectSchema.parse(readJson(join(projectRoot, 'hsproject.json')));
    expect(existsSync(join(projectRoot, project.srcDir, 'app', 'app-hsmeta.json'))).toBe(true);
  });

  it('finds the app, three cards, settings and webhooks', () => {
    expect(files.map((f) => relative(srcApp, f)).sort()).toEqual([
      'app-hsmeta.json',
      'cards/company-score-card-hsmeta.json',
      'cards/contact-score-card-hsmeta.json',
      'cards/deal-score-card-hsmeta.json',
      'settings/settings-hsmeta.json',
      'webhooks/webhooks-hsmeta.json',
    ]);
  });

  for (const file of hsmetaFiles(srcApp)) {
    const folder = relative(srcApp, dirname(file)) || 'app';
    it(`${relative(srcApp, file)} matches the documented ${folder} schema and sits at its folder root`, () => {
      const schema = schemaByFolder[folder];
      expect(
        schema,
        `no schema for folder ${folder}: hsmeta files must sit at the root of app/, cards/, settings/ or webhooks/`,
      ).toBeDefined();
      const result = schema!.safeParse(readJson(file));
      expect(result.success ? [] : result.error.issues).toEqual([]);
    });
  }

  it('uids are unique across the project', () => {
    const uids = files.map((f) => (readJson(f) as { uid: string }).uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('every entrypoint exists and registers itself with hubspot.extend for its location', () => {
    for (const file of files) {
      const meta = readJson(file) as { type: string; config: { entrypoint?: string; location?: string } };
      if (!meta.config.entrypoint) continue;
      const path = join(projectRoot, 'src', meta.config.entrypoint);
      expect(existsSync(path), `${meta.config.entrypoint} is missing`).toBe(true);
      const location = meta.type === 'settings' ? 'settings' : meta.config.location;
      expect(readFileSync(path, 'utf8')).toContain(`hubspot.extend<'${location}'>`);
    }
  });

  it('each card covers its object type once', () => {
    const cards = files.filter((f) => f.includes('/cards/')).map((f) => cardMetaSchema.parse(readJson(f)));
    expect(cards.flatMap((c) => c.config.objectTypes).sort()).toEqual(['companies', 'contacts', 'deals']);
  });

  it('webhooks rescore on creation and on the property changes that move a score, one subscription per property', () => {
    const hooks = webhooksMetaSchema.parse(readJson(join(srcApp, 'webhooks', 'webhooks-hsmeta.json')));
    const subs = hooks.config.subscriptions.crmObjects;
    for (const objectType of ['deal', 'contact', 'company'] as const) {
      expect(subs).toContainEqual({ subscriptionType: 'object.creation', objectType, active: true });
    }
    const changes = subs.flatMap((s) => (s.subscriptionType === 'object.propertyChange' ? [`${s.objectType}.${s.propertyName}`] : []));
    expect(changes).toEqual(expect.arrayContaining(['deal.dealstage', 'deal.amount', 'deal.closedate', 'contact.lifecyclestage']));
    expect(new Set(changes).size).toBe(changes.length);
    // Our own score properties must never trigger a rescore (write-back loop).
    expect(changes.some((c) => c.includes('closewise'))).toBe(false);
  });

  it('webhooks cover the marketplace lifecycle: GDPR deletion of contacts, merges and association changes', () => {
    const hooks = webhooksMetaSchema.parse(readJson(join(srcApp, 'webhooks', 'webhooks-hsmeta.json')));
    const subs = hooks.config.subscriptions;
    // contact.privacyDeletion has no object.* form: it is a hub event (HubSpot's configure-webhooks reference).
    expect(subs.hubEvents).toContainEqual({ subscriptionType: 'contact.privacyDeletion', active: true });
    for (const objectType of ['deal', 'contact', 'company'] as const) {
      expect(subs.crmObjects).toContainEqual({ subscriptionType: 'object.merge', objectType, active: true });
      expect(subs.crmObjects).toContainEqual({ subscriptionType: 'object.associationChange', objectType, active: true });
      expect(subs.crmObjects).toContainEqual({ subscriptionType: 'object.deletion', objectType, active: true });
    }
  });

  it('asks for exactly the scopes the HubSpot connector needs (the OAuth authorize URL must request the same)', async () => {
    const app = appMetaSchema.parse(readJson(join(srcApp, 'app-hsmeta.json')));
    const { HUBSPOT_REQUIRED_SCOPES } = await import('@closewise/contract');
    expect([...app.config.auth.requiredScopes].sort()).toEqual([...HUBSPOT_REQUIRED_SCOPES].sort());
  });

  it('the cards call only a backend listed in permittedUrls.fetch', async () => {
    const app = appMetaSchema.parse(readJson(join(srcApp, 'app-hsmeta.json')));
    const { DEFAULT_API_BASE_URL } = await import('../src/app/cards/shared/backend-url.ts');
    expect(app.config.permittedUrls.fetch).toContain(DEFAULT_API_BASE_URL);
  });
});

describe('hsmeta schemas reject documented mistakes', () => {
  const validCard = readJson(join(srcApp, 'cards', 'deal-score-card-hsmeta.json')) as { config: Record<string, unknown> };

  it.each([
    ['uid with a space', { ...validCard, uid: 'deal card' }],
    ['uid over 64 chars', { ...validCard, uid: 'x'.repeat(65) }],
    ['unknown location', { ...validCard, config: { ...validCard.config, location: 'crm.record.middle' } }],
    ['singular object type', { ...validCard, config: { ...validCard.config, objectTypes: ['deal'] } }],
    ['missing entrypoint', { ...validCard, config: { ...validCard.config, entrypoint: undefined } }],
  ])('card: %s', (_name, bad) => {
    expect(cardMetaSchema.safeParse(bad).success).toBe(false);
  });

  it('webhooks: 2025.1 objectName and localhost targets are refused', () => {
    const hooks = readJson(join(srcApp, 'webhooks', 'webhooks-hsmeta.json')) as {
      config: { settings: object; subscriptions: { crmObjects: object[] } };
    };
    const legacy = {
      ...hooks,
      config: {
        ...hooks.config,
        subscriptions: { crmObjects: [{ subscriptionType: 'object.creation', objectName: 'deal', active: true }] },
      },
    };
    expect(webhooksMetaSchema.safeParse(legacy).success).toBe(false);
    const local = {
      ...hooks,
      config: { ...hooks.config, settings: { targetUrl: 'https://localhost:3000/webhooks', maxConcurrentRequests: 10 } },
    };
    expect(webhooksMetaSchema.safeParse(local).success).toBe(false);
  });

  it('webhooks: privacy deletion as a generic object.* subscription (it has none) is refused', () => {
    const hooks = readJson(join(srcApp, 'webhooks', 'webhooks-hsmeta.json')) as {
      config: { settings: object; subscriptions: { crmObjects: object[] } };
    };
    const asObject = {
      ...hooks,
      config: {
        ...hooks.config,
        subscriptions: {
          crmObjects: [
            ...hooks.config.subscriptions.crmObjects,
            { subscriptionType: 'object.privacyDeletion', objectType: 'contact', active: true },
          ],
        },
      },
    };
    expect(webhooksMetaSchema.safeParse(asObject).success).toBe(false);
    const misspelt = {
      ...hooks,
      config: {
        ...hooks.config,
        subscriptions: { ...hooks.config.subscriptions, hubEvents: [{ subscriptionType: 'contact.gdprDeletion', active: true }] },
      },
    };
    expect(webhooksMetaSchema.safeParse(misspelt).success).toBe(false);
  });

  it('app: http fetch URLs are refused', () => {
    const app = readJson(join(srcApp, 'app-hsmeta.json')) as { config: { permittedUrls: object } };
    const bad = { ...app, config: { ...app.config, permittedUrls: { fetch: ['http://api.closewise.io'], iframe: [], img: [] } } };
    expect(appMetaSchema.safeParse(bad).success).toBe(false);
  });
});
