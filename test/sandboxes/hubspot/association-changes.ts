import { defaultTypeId } from './association-types.ts';
import type { SandboxContext } from './context.ts';
import { validationError } from './errors.ts';
import { type ObjectTypeInfo, objectType } from './object-types.ts';
import type { Portal } from './portal.ts';
import type { RecordChange, WriteSource } from './records.ts';

/**
 * HubSpot fires one association-change event per end of an association added or removed (contact → company
 * and company → contact), each seen from its own side with that direction's type id.
 */
export function associationChanges(
  portal: Portal,
  from: ObjectTypeInfo,
  fromId: number,
  to: ObjectTypeInfo,
  toId: number,
  change: { removed: boolean; primary: boolean; source: WriteSource },
): RecordChange[] {
  const occurredAt = portal.clock();
  const side = (a: ObjectTypeInfo, aId: number, b: ObjectTypeInfo, bId: number): RecordChange => ({
    type: a,
    objectId: aId,
    kind: 'associationChange',
    occurredAt,
    source: change.source,
    association: {
      toType: b,
      toObjectId: bId,
      associationTypeId: defaultTypeId(a.name, b.name) ?? 0,
      associationRemoved: change.removed,
      isPrimaryAssociation: change.primary,
    },
  });
  return [side(from, fromId, to, toId), side(to, toId, from, fromId)];
}

/** Removes every association of a record (both ways), with the events HubSpot fires for each. */
export function removeAllAssociations(portal: Portal, type: ObjectTypeInfo, id: number, source: WriteSource): RecordChange[] {
  const changes: RecordChange[] = [];
  for (const edge of portal.associations.allOf(type.name, id)) {
    const removed = portal.associations.remove(type.name, id, edge.to, edge.toId);
    if (removed)
      changes.push(
        ...associationChanges(portal, type, id, objectType(edge.to), edge.toId, { removed: true, primary: removed.primary, source }),
      );
  }
  return changes;
}

/** Adds the default association; its events when it is new (re-adding an existing one fires nothing). */
export function associate(
  ctx: SandboxContext,
  from: ObjectTypeInfo,
  fromId: number,
  to: ObjectTypeInfo,
  toId: number,
  source: WriteSource,
): RecordChange[] {
  const existed = ctx.portal.associations.list(from.name, fromId, to.name).some((a) => a.toObjectId === toId);
  if (!ctx.portal.associations.associateDefault(from.name, fromId, to.name, toId)) {
    throw validationError(`There is no default association type between ${from.singular} and ${to.singular}`);
  }
  return existed ? [] : associationChanges(ctx.portal, from, fromId, to, toId, { removed: false, primary: false, source });
}

/** Removes every label between the two records; its events when there was one. */
export function dissociate(
  ctx: SandboxContext,
  from: ObjectTypeInfo,
  fromId: number,
  to: ObjectTypeInfo,
  toId: number,
  source: WriteSource,
): RecordChange[] {
  const removed = ctx.portal.associations.remove(from.name, fromId, to.name, toId);
  return removed ? associationChanges(ctx.portal, from, fromId, to, toId, { removed: true, primary: removed.primary, source }) : [];
}
