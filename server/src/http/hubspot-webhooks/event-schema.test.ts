import { describe, expect, it } from 'vitest';
import { isOwnChange, parseWebhookEvents, queueTargetOf } from './event-schema.ts';

const base = { eventId: 1, subscriptionId: 2, portalId: 3, appId: 4, occurredAt: 1_700_000_000_000, attemptNumber: 0 };
const parse = (event: Record<string, unknown>) => {
  const { events, invalid } = parseWebhookEvents([{ ...base, ...event }]);
  expect(invalid).toBe(0);
  return events[0] as NonNullable<(typeof events)[0]>;
};

describe('what the queue keeps of HubSpot’s lifecycle events', () => {
  it('a contact.privacyDeletion hub event is queued for the contact it erases', () => {
    expect(queueTargetOf(parse({ subscriptionType: 'contact.privacyDeletion', objectId: 55, changeSource: 'CRM_UI' }))).toEqual({
      objectType: 'contact',
      objectId: '55',
      relatedIds: [],
    });
  });

  it('a merge is queued for the survivor with the merged-away ids, whether or not HubSpot made a new record', () => {
    const kept = parse({
      subscriptionType: 'object.merge',
      objectTypeId: '0-1',
      objectId: 100,
      primaryObjectId: 100,
      mergedObjectIds: [200, 300],
      newObjectId: 100,
      numberOfPropertiesMoved: 14,
    });
    expect(queueTargetOf(kept)).toEqual({ objectType: 'contact', objectId: '100', relatedIds: ['200', '300'] });
    // Legacy form, and a merge that created a new record: the primary is gone too.
    const created = parse({
      subscriptionType: 'company.merge',
      objectId: 100,
      primaryObjectId: 100,
      mergedObjectIds: [200],
      newObjectId: 900,
    });
    expect(queueTargetOf(created)).toEqual({ objectType: 'company', objectId: '900', relatedIds: ['200', '100'] });
    // newObjectId null: the primary survives.
    const nulled = parse({ subscriptionType: 'deal.merge', objectId: 7, primaryObjectId: 7, mergedObjectIds: [8], newObjectId: null });
    expect(queueTargetOf(nulled)).toEqual({ objectType: 'deal', objectId: '7', relatedIds: ['8'] });
  });

  it('an association change (no objectId) is queued for its from end, named by type id, association type or subscription', () => {
    const generic = parse({
      subscriptionType: 'object.associationChange',
      associationType: 'DEAL_TO_CONTACT',
      fromObjectTypeId: '0-3',
      fromObjectId: 11,
      toObjectTypeId: '0-1',
      toObjectId: 12,
      associationTypeId: 3,
      associationCategory: 'HUBSPOT_DEFINED',
      associationRemoved: true,
      isPrimaryAssociation: false,
    });
    expect(queueTargetOf(generic)).toEqual({ objectType: 'deal', objectId: '11', relatedIds: [] });
    const legacy = parse({
      subscriptionType: 'contact.associationChange',
      associationType: 'CONTACT_TO_COMPANY',
      fromObjectId: 12,
      toObjectId: 13,
      associationRemoved: false,
      isPrimaryAssociation: true,
    });
    expect(queueTargetOf(legacy)).toEqual({ objectType: 'contact', objectId: '12', relatedIds: [] });
    // From an object Closewise does not score: acknowledged, not queued.
    expect(
      queueTargetOf(
        parse({
          subscriptionType: 'object.associationChange',
          associationType: 'TICKET_TO_CONTACT',
          fromObjectTypeId: '0-5',
          fromObjectId: 1,
          toObjectId: 12,
        }),
      ),
    ).toBeNull();
  });

  it('events of unknown types are valid and ignored; a privacy deletion or merge is never dropped as our own change', () => {
    expect(queueTargetOf(parse({ subscriptionType: 'conversation.creation', objectId: 1 }))).toBeNull();
    expect(queueTargetOf(parse({ subscriptionType: 'object.creation', objectTypeId: '0-5', objectId: 1 }))).toBeNull();
    const ours = { changeSource: 'INTEGRATION', sourceId: '4' };
    expect(isOwnChange(parse({ subscriptionType: 'contact.privacyDeletion', objectId: 1, ...ours }), '4')).toBe(false);
    expect(isOwnChange(parse({ subscriptionType: 'object.merge', objectTypeId: '0-1', objectId: 1, ...ours }), '4')).toBe(false);
    expect(isOwnChange(parse({ subscriptionType: 'object.propertyChange', objectTypeId: '0-1', objectId: 1, ...ours }), '4')).toBe(true);
  });

  it('a merge whose ids are not ids is an invalid event, not a 5xx', () => {
    const { events, invalid } = parseWebhookEvents([{ ...base, subscriptionType: 'object.merge', objectId: 1, mergedObjectIds: ['x'] }]);
    expect([events.length, invalid]).toEqual([0, 1]);
  });
});
