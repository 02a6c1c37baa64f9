import { defaultTypeId, primaryTypeId } from '../association-types.ts';
import type { ObjectTypeName } from '../object-types.ts';

export interface AssociationType {
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
  typeId: number;
  label: string | null;
}

/** Associations stored in both directions, each edge carrying its type ids (default, and primary where set). */
export class AssociationStore {
  // key `${fromType}|${fromId}|${toType}` → toId → types
  private readonly edges = new Map<string, Map<number, AssociationType[]>>();

  private bucket(fromType: ObjectTypeName, fromId: number, toType: ObjectTypeName, create: boolean) {
    const key = `${fromType}|${fromId}|${toType}`;
    let found = this.edges.get(key);
    if (!found && create) {
      found = new Map();
      this.edges.set(key, found);
    }
    return found;
  }

  private addOne(from: ObjectTypeName, fromId: number, to: ObjectTypeName, toId: number, types: AssociationType[]): void {
    const bucket = this.bucket(from, fromId, to, true) as Map<number, AssociationType[]>;
    const existing = bucket.get(toId) ?? [];
    for (const t of types) {
      if (!existing.some((e) => e.typeId === t.typeId && e.category === t.category)) existing.push(t);
    }
    bucket.set(toId, existing);
  }

  /**
   * Creates the default (unlabelled) association both ways; `primary` also adds the Primary label where
   * HubSpot has one (contact→company, deal→company). Returns false if HubSpot has no default type for the pair.
   */
  associateDefault(from: ObjectTypeName, fromId: number, to: ObjectTypeName, toId: number, primary = false): boolean {
    const forward = defaultTypeId(from, to);
    const backward = defaultTypeId(to, from);
    if (forward === undefined || backward === undefined) return false;
    const fwd: AssociationType[] = [{ category: 'HUBSPOT_DEFINED', typeId: forward, label: null }];
    const bwd: AssociationType[] = [{ category: 'HUBSPOT_DEFINED', typeId: backward, label: null }];
    const pf = primaryTypeId(from, to);
    const pb = primaryTypeId(to, from);
    if (primary && pf !== undefined && pb !== undefined) {
      fwd.unshift({ category: 'HUBSPOT_DEFINED', typeId: pf, label: 'Primary' });
      bwd.unshift({ category: 'HUBSPOT_DEFINED', typeId: pb, label: 'Primary' });
    }
    this.addOne(from, fromId, to, toId, fwd);
    this.addOne(to, toId, from, fromId, bwd);
    return true;
  }

  /** Associated ids in ascending id order, each with its types. */
  list(from: ObjectTypeName, fromId: number, to: ObjectTypeName): Array<{ toObjectId: number; associationTypes: AssociationType[] }> {
    const bucket = this.bucket(from, fromId, to, false);
    if (!bucket) return [];
    return [...bucket.entries()].sort((a, b) => a[0] - b[0]).map(([toObjectId, associationTypes]) => ({ toObjectId, associationTypes }));
  }

  /** Whether a record of `to` type with a primary association from `from` exists (for the primary flag on load). */
  hasAny(from: ObjectTypeName, fromId: number, to: ObjectTypeName): boolean {
    const bucket = this.bucket(from, fromId, to, false);
    return bucket !== undefined && bucket.size > 0;
  }
}
