import { defaultTypeId, primaryTypeId } from '../association-types.ts';
import type { ObjectTypeName } from '../object-types.ts';

export interface AssociationType {
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
  typeId: number;
  label: string | null;
}

const DEFAULT = 1;
const PRIMARY = 2;

/**
 * Associations stored in both directions. A 100k-contact portal holds millions of edges, so each edge is one
 * number (`toId * 4 + flags`, flags: default / primary) in a per-record array; types are rebuilt on read.
 */
export class AssociationStore {
  // fromType → toType → fromId → encoded edges
  private readonly pairs = new Map<ObjectTypeName, Map<ObjectTypeName, Map<number, number[]>>>();

  private edgesOf(from: ObjectTypeName, to: ObjectTypeName): Map<number, number[]> {
    let byTo = this.pairs.get(from);
    if (!byTo) {
      byTo = new Map();
      this.pairs.set(from, byTo);
    }
    let found = byTo.get(to);
    if (!found) {
      found = new Map();
      byTo.set(to, found);
    }
    return found;
  }

  private addOne(from: ObjectTypeName, fromId: number, to: ObjectTypeName, toId: number, flags: number): void {
    const edges = this.edgesOf(from, to);
    const list = edges.get(fromId);
    if (!list) {
      edges.set(fromId, [toId * 4 + flags]);
      return;
    }
    for (let i = 0; i < list.length; i++) {
      const e = list[i] as number;
      if (Math.floor(e / 4) === toId) {
        list[i] = toId * 4 + ((e % 4) | flags);
        return;
      }
    }
    list.push(toId * 4 + flags);
  }

  /**
   * Creates the default (unlabelled) association both ways; `primary` also adds the Primary label where
   * HubSpot has one (contact→company, deal→company). Returns false if HubSpot has no default type for the pair.
   */
  associateDefault(from: ObjectTypeName, fromId: number, to: ObjectTypeName, toId: number, primary = false): boolean {
    if (defaultTypeId(from, to) === undefined || defaultTypeId(to, from) === undefined) return false;
    const flags = primary && primaryTypeId(from, to) !== undefined ? DEFAULT | PRIMARY : DEFAULT;
    this.addOne(from, fromId, to, toId, flags);
    this.addOne(to, toId, from, fromId, flags);
    return true;
  }

  /** Associated ids in ascending id order, each with its types (Primary first, as HubSpot lists them). */
  list(from: ObjectTypeName, fromId: number, to: ObjectTypeName): Array<{ toObjectId: number; associationTypes: AssociationType[] }> {
    const list = this.pairs.get(from)?.get(to)?.get(fromId);
    if (!list) return [];
    const forward = defaultTypeId(from, to) as number;
    const primary = primaryTypeId(from, to);
    return list
      .slice()
      .sort((a, b) => a - b)
      .map((e) => {
        const types: AssociationType[] = [];
        if ((e % 4) & PRIMARY && primary !== undefined) types.push({ category: 'HUBSPOT_DEFINED', typeId: primary, label: 'Primary' });
        types.push({ category: 'HUBSPOT_DEFINED', typeId: forward, label: null });
        return { toObjectId: Math.floor(e / 4), associationTypes: types };
      });
  }

  hasAny(from: ObjectTypeName, fromId: number, to: ObjectTypeName): boolean {
    return (this.pairs.get(from)?.get(to)?.get(fromId)?.length ?? 0) > 0;
  }

  private removeOne(from: ObjectTypeName, fromId: number, to: ObjectTypeName, toId: number): { primary: boolean } | undefined {
    const edges = this.pairs.get(from)?.get(to);
    const list = edges?.get(fromId);
    if (!edges || !list) return undefined;
    const i = list.findIndex((e) => Math.floor(e / 4) === toId);
    if (i < 0) return undefined;
    const [edge] = list.splice(i, 1);
    if (list.length === 0) edges.delete(fromId);
    return { primary: (((edge as number) % 4) & PRIMARY) !== 0 };
  }

  /** Removes the association both ways (every label); undefined when there was none, else whether it was primary. */
  remove(from: ObjectTypeName, fromId: number, to: ObjectTypeName, toId: number): { primary: boolean } | undefined {
    const removed = this.removeOne(from, fromId, to, toId);
    this.removeOne(to, toId, from, fromId);
    return removed;
  }

  /** Every record associated with this one, per type, in both directions' terms (from this record). */
  allOf(from: ObjectTypeName, fromId: number): Array<{ to: ObjectTypeName; toId: number; primary: boolean }> {
    const out: Array<{ to: ObjectTypeName; toId: number; primary: boolean }> = [];
    for (const [to, edges] of this.pairs.get(from) ?? []) {
      for (const e of edges.get(fromId) ?? []) out.push({ to, toId: Math.floor(e / 4), primary: ((e % 4) & PRIMARY) !== 0 });
    }
    return out;
  }
}
