import { z } from 'zod';
import { UpstreamError } from '../../errors/errors.ts';

/** The SDK turns HubSpot's timestamps into Date; a string is accepted too (mapping.ts reads either). */
const timestamp = z.union([z.date(), z.string()]);

/**
 * The part of a CRM object (list page, search hit, batch read) that mapping.ts reads, checked once where the
 * SDK hands it over. Deliberately lean: a 100k-contact sync parses every object, so property values are only
 * checked to be string or null, and everything else the SDK returns is dropped.
 */
const hubSpotObjectSchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  propertiesWithHistory: z
    .record(
      z.string(),
      z.array(
        z.object({
          value: z.string().nullable(),
          timestamp,
          // Who made the change (CRM_UI, IMPORT, INTEGRATION with the app's id, …): tells Closewise's own writes from others'.
          sourceType: z.string().optional(),
          sourceId: z.string().nullable().optional(),
        }),
      ),
    )
    .optional(),
  createdAt: timestamp.optional(),
  updatedAt: timestamp.optional(),
  archived: z.boolean().optional(),
});

const hubSpotObjectsSchema = z.array(hubSpotObjectSchema);

export type HubSpotObject = z.infer<typeof hubSpotObjectSchema>;

/** The objects of one SDK response; an UpstreamError names what was read when HubSpot sent something else. */
export function parseHubSpotObjects(results: unknown, what: string): HubSpotObject[] {
  const parsed = hubSpotObjectsSchema.safeParse(results);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UpstreamError(`HubSpot sent ${what} Closewise cannot read: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
}
