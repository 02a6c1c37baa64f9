import { associationChanges, removeAllAssociations } from './association-changes.ts';
import type { SandboxContext } from './context.ts';
import { type ObjectTypeInfo, objectType } from './object-types.ts';
import type { Portal } from './portal.ts';
import { type RecordChange, updateRecord, type WriteSource } from './records.ts';
import type { StoredRecord } from './store/object-store.ts';

/** Removes a record for good: gone from lists, `archived=true` lists, reads, search and the email index. */
function purge(portal: Portal, type: ObjectTypeInfo, record: StoredRecord): void {
  portal.objects[type.name].delete(record.id);
  if (type.name === 'contacts') portal.reindexEmail(record.properties.email ?? null, { ...record, properties: {} });
}

/**
 * GDPR delete of a contact: the contact, its associations and the engagements that were its alone are deleted
 * permanently (not archived: no `archived=true` list returns them). HubSpot fires the ordinary deletion and the
 * `contact.privacyDeletion` hub event. An email that matches no contact is blocklisted by HubSpot (204).
 */
export function gdprDelete(ctx: SandboxContext, record: StoredRecord, source: WriteSource): RecordChange[] {
  const portal = ctx.portal;
  const contacts = objectType('contacts');
  const now = portal.clock();
  const changes: RecordChange[] = [];
  const engagements = portal.associations.allOf('contacts', record.id).filter((e) => objectType(e.to).isEngagement);
  changes.push(...removeAllAssociations(portal, contacts, record.id, source));
  for (const engagement of engagements) {
    const type = objectType(engagement.to);
    if (portal.associations.allOf(type.name, engagement.toId).length > 0) continue;
    portal.objects[type.name].delete(engagement.toId);
  }
  if (!record.archived) changes.push({ type: contacts, objectId: record.id, kind: 'deletion', occurredAt: now, source });
  changes.push({ type: contacts, objectId: record.id, kind: 'privacyDeletion', occurredAt: now, source });
  purge(portal, contacts, record);
  return changes;
}

/**
 * Merges `merged` into `primary` as HubSpot's merge does: the primary keeps its id and values; properties it
 * lacks are filled from the merged record (`numberOfPropertiesMoved`), the merged record's associations move
 * to it, and the merged record is deleted. One `merge` event fires for the primary (objectId = primary id).
 */
export function merge(
  ctx: SandboxContext,
  type: ObjectTypeInfo,
  primary: StoredRecord,
  merged: StoredRecord,
  source: WriteSource,
): RecordChange[] {
  const portal = ctx.portal;
  const moved: Record<string, string> = {};
  for (const [name, value] of Object.entries(merged.properties)) {
    if (value === null || value === '' || (primary.properties[name] ?? '') !== '') continue;
    const def = portal.schema.property(type.name, name);
    if (!def || def.archived || def.modificationMetadata.readOnlyValue || name === 'email') continue;
    moved[name] = value;
  }
  // The merge's own property changes are not separate events: HubSpot reports the merge.
  updateRecord(portal, type, primary, moved, source);
  const changes: RecordChange[] = [];
  for (const edge of portal.associations.allOf(type.name, merged.id)) {
    if (edge.to === type.name && edge.toId === primary.id) continue;
    const toType = objectType(edge.to);
    const existed = portal.associations.list(type.name, primary.id, edge.to).some((a) => a.toObjectId === edge.toId);
    portal.associations.associateDefault(type.name, primary.id, edge.to, edge.toId, edge.primary);
    if (!existed)
      changes.push(...associationChanges(portal, type, primary.id, toType, edge.toId, { removed: false, primary: edge.primary, source }));
  }
  for (const edge of portal.associations.allOf(type.name, merged.id)) portal.associations.remove(type.name, merged.id, edge.to, edge.toId);
  purge(portal, type, merged);
  changes.push({
    type,
    objectId: primary.id,
    kind: 'merge',
    occurredAt: portal.clock(),
    source,
    merge: {
      primaryObjectId: primary.id,
      mergedObjectIds: [merged.id],
      newObjectId: primary.id,
      numberOfPropertiesMoved: Object.keys(moved).length,
    },
  });
  return changes;
}
