import { z } from 'zod';

/**
 * Schemas of the *-hsmeta.json files, written from HubSpot's documented fields for platform 2025.2
 * (app configuration, app cards reference, settings, webhooks). HubSpot validates on upload;
 * these catch mistakes before that, in CI.
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

export const hsprojectSchema = z.strictObject({
  name: z.string().min(1),
  srcDir: z.string().min(1),
  platformVersion: z.enum(['2025.2', '2026.03', '2026.09']),
});
