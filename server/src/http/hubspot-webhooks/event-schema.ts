import { z } from 'zod';
import type { ObjectType } from '../../store/schema.ts';

const id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);

/** One event as HubSpot posts it (webhooks API v3; 2025.2 apps add `objectTypeId` to generic subscriptions). */
export const webhookEvent = z.object({
  eventId: id,
  subscriptionId: id,
  portalId: id,
  appId: id,
  occurredAt: z.number().int().nonnegative(),
  subscriptionType: z.string().min(1).max(200),
  attemptNumber: z.number().int().nonnegative().optional(),
  objectId: id,
  objectTypeId: z.string().max(50).optional(),
  propertyName: z.string().max(500).optional(),
  propertyValue: z.string().optional(),
  changeFlag: z.string().optional(),
  changeSource: z.string().max(100).optional(),
  sourceId: z.string().max(200).optional(),
});

export type WebhookEvent = z.output<typeof webhookEvent>;

/** HubSpot sends up to 100 events per request; far more than that is not HubSpot. */
export const webhookBatch = z.array(webhookEvent).min(1).max(1000);

/** The batch's outer shape only: each element is checked on its own, so one bad event never drops the others. */
export const webhookEnvelope = z.array(z.unknown()).min(1).max(1000);

/** The events of a batch that are valid, and how many were not. */
export function parseWebhookEvents(elements: unknown[]): { events: WebhookEvent[]; invalid: number } {
  const events: WebhookEvent[] = [];
  let invalid = 0;
  for (const element of elements) {
    const parsed = webhookEvent.safeParse(element);
    if (parsed.success) events.push(parsed.data);
    else invalid += 1;
  }
  return { events, invalid };
}

const TYPE_IDS: Record<string, ObjectType> = { '0-1': 'contact', '0-2': 'company', '0-3': 'deal' };
const LEGACY_PREFIXES: Record<string, ObjectType> = { contact: 'contact', company: 'company', deal: 'deal' };

/** The neutral object type an event is about, or null for types Closewise does not score. */
export function objectTypeOf(event: WebhookEvent): ObjectType | null {
  if (event.objectTypeId) return TYPE_IDS[event.objectTypeId] ?? null;
  // Legacy subscription types name the object: `contact.propertyChange`, `deal.creation`.
  return LEGACY_PREFIXES[event.subscriptionType.split('.')[0] ?? ''] ?? null;
}

/** Prefix of every property Closewise writes; changes to them are our own output, never a reason to rescore. */
export const OWN_PROPERTY_PREFIX = 'closewise_';

/**
 * Events Closewise must not act on: caused by our own writes (INTEGRATION with our app id as the source)
 * or changes to our own properties (whoever made them), which would otherwise loop write → event → rescore.
 */
export function isOwnChange(event: WebhookEvent, appId: string): boolean {
  if (event.changeSource === 'INTEGRATION' && event.sourceId === appId) return true;
  return event.propertyName?.startsWith(OWN_PROPERTY_PREFIX) ?? false;
}
