import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendUrlFrom } from '@closewise/hubspot-shared/backend-url';
import { projectProfilePrompt } from '@hubspot/cli/lib/prompts/projectProfilePrompt.js';
import { isKnownPlatformVersion } from '@hubspot/project-parsing-lib/projects';
import { translate, translateForLocalDev } from '@hubspot/project-parsing-lib/translate';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  appMetaSchema,
  appMetaSourceSchema,
  BACKEND_URL_VARIABLE,
  cardMetaSchema,
  hsprofileSchema,
  hsprojectSchema,
  NEWEST_GA_PLATFORM_VERSION,
  SUPPORTED_PLATFORM_VERSIONS,
  settingsMetaSchema,
  webhooksMetaSchema,
  webhooksMetaSourceSchema,
} from './hsmeta-schemas.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(projectRoot, 'src');
const srcApp = join(srcDir, 'app');
const PROFILES = ['production', 'self-hosted'] as const;

/** The project as HubSpot builds it with a profile: the CLI's own offline translation (no account, no schemas). */
async function buildWithProfile(profile: string) {
  const { intermediateRepresentation } = await translate(
    { projectSourceDir: srcDir, platformVersion: NEWEST_GA_PLATFORM_VERSION, accountId: undefined },
    { skipValidation: true, profile },
  );
  const config = (uid: string) => intermediateRepresentation.intermediateNodesIndexedByUid[uid]?.config;
  return { app: config('closewise_app'), webhooks: config('closewise_webhooks') };
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Shipped extension code: .ts/.tsx under src/app, without tests and test scaffolding. */
function productionSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (['node_modules', 'test-support'].includes(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return productionSources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
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

  it(`hsproject.json targets the newest generally available platform version (${NEWEST_GA_PLATFORM_VERSION})`, () => {
    const result = hsprojectSchema.safeParse(readJson(join(projectRoot, 'hsproject.json')));
    expect(result.success ? [] : result.error.issues.map((i) => i.message)).toEqual([]);
    expect(existsSync(join(projectRoot, result.data!.srcDir, 'app', 'app-hsmeta.json'))).toBe(true);
    // The CLI installed here knows the version (an unknown one fails `hs project upload` before anything else).
    expect(isKnownPlatformVersion(result.data!.platformVersion)).toBe(true);
  });

  it('an older supported or a beta platform version is refused', () => {
    for (const platformVersion of [...SUPPORTED_PLATFORM_VERSIONS.filter((v) => v !== NEWEST_GA_PLATFORM_VERSION), '2027.03-beta']) {
      expect(hsprojectSchema.safeParse({ name: 'closewise', srcDir: 'src', platformVersion }).success, platformVersion).toBe(false);
    }
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
    it(`${relative(srcApp, file)} matches the documented ${folder} schema and sits at its folder root`, async () => {
      const schema = schemaByFolder[folder];
      expect(
        schema,
        `no schema for folder ${folder}: hsmeta files must sit at the root of app/, cards/, settings/ or webhooks/`,
      ).toBeDefined();
      // app and webhooks hold profile variables: check what HubSpot builds from them (production profile).
      const built = await buildWithProfile('production');
      const meta = readJson(file) as { uid: string; config: unknown };
      const config = folder === 'app' ? built.app : folder === 'webhooks' ? built.webhooks : meta.config;
      const result = schema!.safeParse({ ...meta, config });
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

  it('webhooks rescore on creation and on the property changes that move a score, one subscription per property', async () => {
    const hooks = webhooksMetaSchema.parse({
      ...(readJson(join(srcApp, 'webhooks', 'webhooks-hsmeta.json')) as object),
      config: (await buildWithProfile('production')).webhooks,
    });
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

  it('webhooks cover the marketplace lifecycle: GDPR deletion of contacts, merges and association changes', async () => {
    // The built config (profile variables resolved), as HubSpot receives it.
    const hooks = webhooksMetaSchema.parse({
      ...(readJson(join(srcApp, 'webhooks', 'webhooks-hsmeta.json')) as object),
      config: (await buildWithProfile('production')).webhooks,
    });
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
    const app = appMetaSchema.parse({
      ...(readJson(join(srcApp, 'app-hsmeta.json')) as object),
      config: (await buildWithProfile('production')).app,
    });
    const { HUBSPOT_REQUIRED_SCOPES } = await import('@closewise/contract');
    expect([...app.config.auth.requiredScopes].sort()).toEqual([...HUBSPOT_REQUIRED_SCOPES].sort());
  });
});

describe('one backend URL per deployment: the project profile variable', () => {
  it(`app-hsmeta.json (auth.redirectUrls, permittedUrls.fetch) and webhooks-hsmeta.json (targetUrl) use \${${BACKEND_URL_VARIABLE}}`, () => {
    for (const [file, schema] of [
      ['app-hsmeta.json', appMetaSourceSchema],
      ['webhooks/webhooks-hsmeta.json', webhooksMetaSourceSchema],
    ] as const) {
      const result = schema.safeParse(readJson(join(srcApp, file)));
      expect(result.success ? [] : result.error.issues.map((i) => `${file} ${i.path.join('.')}: ${i.message}`)).toEqual([]);
    }
  });

  it('the source schemas catch a hard-coded URL in each of the three places', () => {
    const app = readJson(join(srcApp, 'app-hsmeta.json')) as { config: { auth: object; permittedUrls: object } };
    const hooks = readJson(join(srcApp, 'webhooks', 'webhooks-hsmeta.json')) as { config: { settings: object } };
    const literal = 'https://api.closewise.io';
    const badRedirect = { config: { ...app.config, auth: { ...app.config.auth, redirectUrls: [`${literal}/oauth/hubspot/callback`] } } };
    const badFetch = { config: { ...app.config, permittedUrls: { ...app.config.permittedUrls, fetch: [literal] } } };
    const badTarget = { config: { ...hooks.config, settings: { ...hooks.config.settings, targetUrl: `${literal}/webhooks/hubspot` } } };
    expect(appMetaSourceSchema.safeParse(badRedirect).success).toBe(false);
    expect(appMetaSourceSchema.safeParse(badFetch).success).toBe(false);
    expect(webhooksMetaSourceSchema.safeParse(badTarget).success).toBe(false);
  });

  it('ships a production profile on api.closewise.io and a self-hosting example, each a valid https origin', () => {
    const profiles = readdirSync(srcDir).filter((f) => /^hsprofile\.[^.]+\.json$/.test(f));
    expect(profiles.sort()).toEqual(PROFILES.map((p) => `hsprofile.${p}.json`).sort());
    for (const profile of PROFILES) {
      const result = hsprofileSchema.safeParse(readJson(join(srcDir, `hsprofile.${profile}.json`)));
      expect(result.success ? [] : result.error.issues, profile).toEqual([]);
    }
    const production = hsprofileSchema.parse(readJson(join(srcDir, 'hsprofile.production.json')));
    expect(production.variables[BACKEND_URL_VARIABLE]).toBe('https://api.closewise.io');
  });

  for (const profile of PROFILES) {
    it(`with the ${profile} profile, HubSpot's build puts its URL in all four places`, async () => {
      const url = (readJson(join(srcDir, `hsprofile.${profile}.json`)) as { variables: Record<string, string> }).variables[
        BACKEND_URL_VARIABLE
      ]!;
      const built = await buildWithProfile(profile);
      const app = appMetaSchema.parse({ ...(readJson(join(srcApp, 'app-hsmeta.json')) as object), config: built.app });
      const hooks = webhooksMetaSchema.parse({
        ...(readJson(join(srcApp, 'webhooks', 'webhooks-hsmeta.json')) as object),
        config: built.webhooks,
      });
      expect(app.config.permittedUrls.fetch).toEqual([url]);
      expect(app.config.auth.redirectUrls).toEqual([`${url}/oauth/hubspot/callback`]);
      expect(hooks.config.settings.targetUrl).toBe(`${url}/webhooks/hubspot`);
      // The cards: `hs project dev` hands these variables to the extensions as context.variables (the upload
      // carries them in the build's profile data); the cards take their backend from exactly that.
      const { intermediateRepresentation } = await translateForLocalDev(
        { projectSourceDir: srcDir, platformVersion: NEWEST_GA_PLATFORM_VERSION, accountId: undefined },
        { skipValidation: true, profile },
      );
      expect(backendUrlFrom(intermediateRepresentation.profileData)).toBe(url);
    });
  }

  it('no build goes out without a profile: the CLI demands one, and the bare placeholder is no valid URL', async () => {
    // `hs project upload` (and dev) with two or more profiles and no --profile: prompts, or fails when it cannot.
    await expect(
      projectProfilePrompt(projectRoot, readJson(join(projectRoot, 'hsproject.json')) as never, undefined, true),
    ).rejects.toThrow();
    const { intermediateRepresentation } = await translate(
      { projectSourceDir: srcDir, platformVersion: NEWEST_GA_PLATFORM_VERSION, accountId: undefined },
      { skipValidation: true },
    );
    const app = {
      ...(readJson(join(srcApp, 'app-hsmeta.json')) as object),
      config: intermediateRepresentation.intermediateNodesIndexedByUid['closewise_app']?.config,
    };
    expect(appMetaSchema.safeParse(app).success).toBe(false);
  });

  it('the cards and the settings page have no backend URL of their own (no fallback, no literal)', () => {
    expect(backendUrlFrom(undefined)).toBeNull();
    expect(backendUrlFrom({ [BACKEND_URL_VARIABLE]: 'http://api.closewise.io' })).toBeNull();
    expect(backendUrlFrom({ [BACKEND_URL_VARIABLE]: 'https://closewise.example.com/' })).toBe('https://closewise.example.com');
    const offenders = productionSources(srcApp).filter((file) => /['"`]https?:\/\//.test(withoutComments(readFileSync(file, 'utf8'))));
    expect(offenders.map((f) => relative(srcApp, f))).toEqual([]);
    for (const entry of [
      'cards/DealScoreCard.tsx',
      'cards/ContactScoreCard.tsx',
      'cards/CompanyScoreCard.tsx',
      'settings/SettingsPage.tsx',
    ]) {
      expect(readFileSync(join(srcApp, entry), 'utf8'), entry).toContain('baseUrl: backendUrlFrom(context.variables)');
    }
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
