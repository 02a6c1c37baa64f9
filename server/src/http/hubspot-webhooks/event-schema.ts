import { z } from 'zod';
import type { ObjectType } from '../../store/schema.ts';

const id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);

/**
 * One event as HubSpot posts it (webhooks API v3; 2025.2 apps add `objectTypeId` to generic subscriptions).
 * Merge events add primaryObjectId, mergedObjectIds, newObjectId, numberOfPropertiesMoved; association
 * changes carry no objectId but associationType (CONTACT_TO_COMPANY), fromObjectId, toObjectId,
 * associationRemoved, isPrimaryAssociation (generic `object.associationChange` events also name the ends'
 * types: fromObjectTypeId, toObjectTypeId, and associationTypeId / associationCategory). Fields HubSpot may
 * add later are ignored, not refused.
 */
export const webhookEvent = z.object({
  eventId: id,
  subscriptionId: id,
  portalId: id,
  appId: id,
  occurredAt: z.number().int().nonnegative(),
  subscriptionType: z.string().min(1).max(200),
  attemptNumber: z.number().int().nonnegative().optional(),
  /** Absent on association changes, which name both ends instead. */
  objectId: id.optional(),
  objectTypeId: z.string().max(50).optional(),
  propertyName: z.string().max(500).optional(),
  propertyValue: z.string().optional(),
  changeFlag: z.string().optional(),
  changeSource: z.string().max(100).optional(),
  sourceId: z.string().max(200).optional(),
  // Merges.
  primaryObjectId: id.optional(),
  mergedObjectIds: z.array(id).max(1000).optional(),
  /** Null or absent when the merge kept the primary's id. */
  newObjectId: id.nullable().optional(),
  numberOfPropertiesMoved: z.number().int().nonnegative().optional(),
  // Association changes.
  associationType: z.string().max(200).optional(),
  fromObjectId: id.optional(),
  toObjectId: id.optional(),
  fromObjectTypeId: z.string().max(50).optional(),
  toObjectTypeId: z.string().max(50).optional(),
  associationTypeId: z.number().int().optional(),
  associationCategory: z.string().max(100).optional(),
  associationRemoved: z.boolean().optional(),
  isPrimaryAssociation: z.boolean().optional(),
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

/** HubSpot's privacy (GDPR) deletion of a contact: a hub event with no generic `object.*` form. */
export const PRIVACY_DELETION = 'contact.privacyDeletion';

const kindOf = (event: WebhookEvent): string => event.subscriptionType.split('.')[1] ?? '';

/**
 * The record an association change is queued for: its `from` end, whose type the generic event names by id
 * and the legacy one by its association type (`DEAL_TO_CONTACT`) or subscription (`deal.associationChange`).
 * HubSpot sends the reverse event for the other end, so each end is refreshed and rescored on its own.
 */
function associationFrom(event: WebhookEvent): { objectType: ObjectType; objectId: string } | null {
  if (!event.fromObjectId) return null;
  const fromPrefix = event.associationType?.split('_TO_')[0]?.toLowerCase();
  const objectType =
    (event.fromObjectTypeId ? TYPE_IDS[event.fromObjectTypeId] : undefined) ??
    (fromPrefix ? LEGACY_PREFIXES[fromPrefix] : undefined) ??
    LEGACY_PREFIXES[event.subscriptionType.split('.')[0] ?? ''];
  return objectType ? { objectType, objectId: event.fromObjectId } : null;
}

/** What the queue keeps of an event: the record to work on and, for a merge, the ids merged into it. */
export interface QueueTarget {
  objectType: ObjectType;
  objectId: string;
  relatedIds: string[];
}

/**
 * The record an event makes Closewise work on, or null for events about nothing Closewise scores (they are
 * acknowledged and dropped). A merge is queued for the surviving record (newObjectId when HubSpot made a new
 * one, else the primary) with the merged-away ids beside it; a privacy deletion for the contact it erases.
 */
export function queueTargetOf(event: WebhookEvent): QueueTarget | null {
  const kind = kindOf(event);
  if (kind === 'associationChange') {
    const from = associationFrom(event);
    return from ? { ...from, relatedIds: [] } : null;
  }
  const objectType = event.subscriptionType === PRIVACY_DELETION ? 'contact' : objectTypeOf(event);
  if (!objectType) return null;
  if (kind === 'merge') {
    const survivor = event.newObjectId ?? event.primaryObjectId ?? event.objectId;
    if (!survivor) return null;
    const gone = new Set([...(event.mergedObjectIds ?? []), event.primaryObjectId, event.objectId]);
    gone.delete(survivor);
    gone.delete(undefined);
    return { objectType, objectId: survivor, relatedIds: [...gone].filter((x): x is string => x !== undefined) };
  }
  return event.objectId ? { objectType, objectId: event.objectId, relatedIds: [] } : null;
}

/** Prefix of every property Closewise writes; changes to them are our own output, never a reason to rescore. */
export const OWN_PROPERTY_PREFIX = 'closewise_';

/**
 * Events Closewise must not act on: caused by our own writes (INTEGRATION with our app id as the source)
 * or changes to our own properties (whoever made them), which would otherwise loop write → event → rescore.
 */
export function isOwnChange(event: WebhookEvent, appId: string): boolean {
  // Never a loop, and never to be missed: an erasure or a merge is acted on whoever made it.
  if (event.subscriptionType === PRIVACY_DELETION || kindOf(event) === 'merge') return false;
  if (event.changeSource === 'INTEGRATION' && event.sourceId === appId) return true;
  return event.propertyName?.startsWith(OWN_PROPERTY_PREFIX) ?? false;
}
