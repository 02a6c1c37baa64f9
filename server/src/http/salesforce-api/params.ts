import { z } from 'zod';
import type { ObjectType } from '../../store/schema.ts';

/** The sObjects Closewise scores, what the store calls them, and the key prefix of their ids. */
export const SCORED_OBJECTS = {
  Opportunity: { objectType: 'deal', prefix: '006' },
  Lead: { objectType: 'contact', prefix: '00Q' },
  Contact: { objectType: 'contact', prefix: '003' },
  Account: { objectType: 'company', prefix: '001' },
} as const satisfies Record<string, { objectType: ObjectType; prefix: string }>;

export type ScoredObject = keyof typeof SCORED_OBJECTS;

export const objectNameSchema = z.enum(Object.keys(SCORED_OBJECTS) as [ScoredObject, ...ScoredObject[]], {
  error: (issue) => `Closewise does not score '${String(issue.input)}' records (Opportunity, Lead, Contact or Account)`,
});

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Salesforce's case-safe suffix: one character per 5 characters, a bit per upper-case letter. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

/**
 * A 15- or 18-character Salesforce id, as the 18-character form the connector stores. An 18-character id
 * whose suffix does not match its first 15 characters is not an id Salesforce produced.
 */
export const salesforceIdSchema = z
  .string()
  .regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/, 'must be a 15- or 18-character Salesforce id')
  .transform((id, ctx) => {
    const body = id.slice(0, 15);
    const suffix = caseSafeSuffix(body);
    if (id.length === 18 && id.slice(15).toUpperCase() !== suffix) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid Salesforce id (its last 3 characters do not match)' });
      return z.NEVER;
    }
    return body + suffix;
  });

export const recordParamsSchema = z
  .object({ object: objectNameSchema, id: salesforceIdSchema })
  .superRefine((p, ctx) => {
    const prefix = SCORED_OBJECTS[p.object].prefix;
    if (!p.id.startsWith(prefix))
      ctx.addIssue({ code: 'custom', path: ['id'], message: `is not a ${p.object} id (they start with ${prefix})` });
  })
  .transform((p) => ({ object: p.object, objectType: SCORED_OBJECTS[p.object].objectType as ObjectType, externalId: p.id }));

export type RecordParams = z.infer<typeof recordParamsSchema>;

export const modelParamsSchema = z.object({ object: objectNameSchema });

/** The Apex sends `{}`; anything else in the body is a client bug worth a 400 rather than silence. */
export const emptyBodySchema = z.union([z.undefined(), z.strictObject({})]);
