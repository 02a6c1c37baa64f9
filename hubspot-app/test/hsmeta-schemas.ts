import { z } from 'zod';

/**
 * Schemas of the *-hsmeta.json files, written from HubSpot's documented fields (app configuration, app cards
 * reference, settings, webhooks; unchanged from 2025.2 through 2026.09 for what this app uses). HubSpot validates
 * on upload against schemas it serves per platform version to an authenticated account, so these catch mistakes
 * before that, in CI. The app and webhooks schemas apply to the config *after* a project profile's variables are
 * substituted; the *SourceSchema checks say where the repository files must use the variable instead.
 */

/** uid: ≤64 chars of letters, digits, underscore, dash, period; unique within the project. */
export const uidSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);

const httpsNotLocal = z
  .url()
  .refine((u) => u.startsWith('https://'), 'must be https')
  .refine(
    (u) => !/^https:\/\/(localhost|127\.|0\.0\.0\.0|\[::1\])/.test(u),
    'must not be localhost (local dev goes through the CLI proxy)',
  );

export const SCOPE_PATTERN = /^(oauth|crm\.(objects|schemas)\.[a-z_]+\.(read|write)|crm\.objects\.owners\.read|[a-z-]+(\.[a-z_-]+)*)$/;

export const appMetaSchema = z.strictObject({
  uid: uidSchema,
  type: z.literal('app'),
  config: z.strictObject({
    name: z
      .string()
      .min(1)
      .max(200)
      .refine((n) => n.trim() === n, 'must not start or end with whitespace'),
    description: z.string().min(1).max(8192),
    distribution: z.enum(['marketplace', 'private']),
    auth: z.strictObject({
      type: z.enum(['oauth', 'static']),
      redirectUrls: z.array(z.url()).min(1),
      requiredScopes: z.array(z.string().regex(SCOPE_PATTERN)).min(1),
      optionalScopes: z.array(z.string().regex(SCOPE_PATTERN)),
      conditionallyRequiredScopes: z.array(z.string().regex(SCOPE_PATTERN)),
    }),
    permittedUrls: z.strictObject({
      fetch: z.array(httpsNotLocal),
      iframe: z.array(httpsNotLocal),
      img: z.array(httpsNotLocal),
    }),
    support: z
      .strictObject({ supportEmail: z.email(), documentationUrl: z.url(), supportUrl: z.url(), supportPhone: z.string().optional() })
      .optional(),
  }),
});

export const CARD_LOCATIONS = ['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar'] as const;
export const CARD_OBJECT_TYPES = ['contacts', 'companies', 'deals', 'tickets', 'leads', 'products', 'line_items', 'quotes'] as const;

/** entrypoint is a path from the src folder ("/app/cards/X.tsx") to a React file. */
const entrypointSchema = z.string().regex(/^\/app\/[A-Za-z0-9_/-]+\.(jsx|tsx)$/);

export const cardMetaSchema = z.strictObject({
  uid: uidSchema,
  type: z.literal('card'),
  config: z.strictObject({
    name: z.string().min(1).max(200),
    description: z.string().max(1000).optional(),
    previewImage: z.strictObject({ file: z.string().regex(/\.(png|jpe?g|gif)$/), altText: z.string() }).optional(),
    location: z.enum(CARD_LOCATIONS),
    entrypoint: entrypointSchema,
    objectTypes: z.array(z.enum(CARD_OBJECT_TYPES)).min(1),
  }),
});

export const settingsMetaSchema = z.strictObject({
  uid: uidSchema,
  type: z.literal('settings'),
  config: z.strictObject({ name: z.string().min(1).max(200).optional(), entrypoint: entrypointSchema }),
});

/** 2025.2 uses `objectType` (singular CRM names); 2025.1's `objectName` is refused. */
const crmSubscriptionSchema = z.discriminatedUnion('subscriptionType', [
  z.strictObject({
    subscriptionType: z.literal('object.propertyChange'),
    objectType: z.enum(['contact', 'company', 'deal', 'ticket']),
    propertyName: z.string().regex(/^[a-z0-9_]+$/),
    active: z.boolean(),
  }),
  z.strictObject({
    subscriptionType: z.enum(['object.creation', 'object.deletion', 'object.merge', 'object.restore', 'object.associationChange']),
    objectType: z.enum(['contact', 'company', 'deal', 'ticket']),
    active: z.boolean(),
  }),
]);

export const webhooksMetaSchema = z.strictObject({
  uid: uidSchema,
  type: z.literal('webhooks'),
  config: z.strictObject({
    settings: z.strictObject({ targetUrl: httpsNotLocal, maxConcurrentRequests: z.number().int().min(5).max(100) }),
    subscriptions: z.strictObject({
      crmObjects: z.array(crmSubscriptionSchema).min(1),
      legacyCrmObjects: z.array(z.unknown()).optional(),
      /**
       * Account-level events with no generic `object.*` form: the GDPR delete of a contact
       * (`contact.privacyDeletion`, HubSpot's configure-webhooks reference) and conversations' privacy deletion.
       */
      hubEvents: z
        .array(
          z.strictObject({
            subscriptionType: z.enum(['contact.privacyDeletion', 'conversation.privacyDeletion']),
            active: z.boolean(),
          }),
        )
        .optional(),
    }),
  }),
});

/**
 * Platform versions HubSpot supports (developers.hubspot.com/docs/developer-tooling/platform/versioning): a version
 * goes unsupported 18 months after its GA, and uploads on an unsupported version fail. 2027.03 is in beta.
 */
export const SUPPORTED_PLATFORM_VERSIONS = ['2025.2', '2026.03', '2026.09'] as const;
/** The newest generally available version: the project stays on it so its support window is the longest. */
export const NEWEST_GA_PLATFORM_VERSION = '2026.09';

export const hsprojectSchema = z.strictObject({
  name: z.string().min(1),
  srcDir: z.string().min(1),
  platformVersion: z
    .enum(SUPPORTED_PLATFORM_VERSIONS)
    .refine((v) => v === NEWEST_GA_PLATFORM_VERSION, `must be the newest generally available version, ${NEWEST_GA_PLATFORM_VERSION}`),
});

/**
 * The one place a deployment sets its backend: this variable of the project profile (src/hsprofile.<name>.json).
 * HubSpot substitutes `${NAME}` in *-hsmeta.json at build time and gives the cards the same value as
 * context.variables (read by @closewise/hubspot-shared/backend-url).
 */
export const BACKEND_URL_VARIABLE = 'CLOSEWISE_API_BASE_URL';
const backendRef = `\${${BACKEND_URL_VARIABLE}}`;

/** A value that must be exactly the backend variable followed by `path`, never a literal URL. */
function fromBackendVariable(path: string) {
  const expected = `${backendRef}${path}`;
  return z.string().refine((v) => v === expected, `must be "${expected}": set the backend URL in the project profile, not here`);
}

/** app-hsmeta.json as written in the repository: the OAuth callback and the fetch allow-list come from the profile. */
export const appMetaSourceSchema = z.object({
  config: z.object({
    auth: z.object({ redirectUrls: z.tuple([fromBackendVariable('/oauth/hubspot/callback')]) }),
    permittedUrls: z.object({ fetch: z.tuple([fromBackendVariable('')]) }),
  }),
});

/** webhooks-hsmeta.json as written in the repository: HubSpot posts to the profile's backend. */
export const webhooksMetaSourceSchema = z.object({
  config: z.object({ settings: z.object({ targetUrl: fromBackendVariable('/webhooks/hubspot') }) }),
});

/** src/hsprofile.<name>.json: the target account (added per deployment) and the build-time variables. */
export const hsprofileSchema = z.strictObject({
  accountId: z.number().int().positive().optional(),
  variables: z.looseObject({
    [BACKEND_URL_VARIABLE]: z.url().refine((u) => /^https:\/\/[^/?#]+$/.test(u), 'must be an https origin without path or trailing slash'),
  }),
});
