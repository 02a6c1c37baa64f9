import type { SandboxContext } from '../context.ts';
import { validationError } from '../errors.ts';
import type { ObjectTypeInfo } from '../object-types.ts';
import type { StoredRecord } from '../store/object-store.ts';

/**
 * Finds a record by `id` under HubSpot's `idProperty` rules: absent → the record id; `email` on contacts or a
 * property declared `hasUniqueValue` → that value. Any other property is refused as HubSpot refuses it, including
 * `hs_object_id` on writes ("non-unique … property hs_object_id"), where the id must be sent without idProperty.
 */
export function findByIdProperty(
  ctx: SandboxContext,
  type: ObjectTypeInfo,
  id: string,
  idProperty: string | undefined,
  options: { archived: boolean; write: boolean },
): StoredRecord | undefined {
  const byId = () => {
    if (!/^\d+$/.test(id)) return undefined;
    const record = ctx.portal.objects[type.name].get(Number(id));
    return record && record.archived === options.archived ? record : undefined;
  };
  if (idProperty === undefined || (idProperty === 'hs_object_id' && !options.write)) return byId();
  const def = ctx.portal.schema.property(type.name, idProperty);
  const unique = (type.name === 'contacts' && idProperty === 'email') || def?.hasUniqueValue === true;
  if (!def || !unique) {
    throw validationError(
      `Unable to perform update/upsert by non-unique ${type.typeId} property ${idProperty} in portal ID ${ctx.portal.portalId}`,
    );
  }
  if (type.name === 'contacts' && idProperty === 'email' && !options.archived) {
    const found = ctx.portal.contactIdByEmail(id.trim().toLowerCase());
    return found === undefined ? undefined : ctx.portal.objects.contacts.get(found);
  }
  return ctx.portal.objects[type.name].all().find((r) => r.archived === options.archived && r.properties[idProperty] === id);
}
