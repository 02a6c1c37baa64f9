import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import type { TenantData, TenantRecord } from '../tenant-data.ts';

/** A synthetic portal small enough for unit tests (~600 contacts, ~360 deals) but above the thin-data minimums. */
export function smallPortal(seed: number, contacts = 600): PortalData {
  return generateSyntheticPortal({ seed, contacts });
}

/**
 * The tenant's data as the store would have held it at moment t: no record created later, no activity
 * after t, history cut at t and the current value of every historied property set back to its value at t.
 */
export function truncateAt(data: TenantData, t: number): TenantData {
  const records = new Map<string, TenantRecord>();
  for (const [key, record] of data.records) {
    if (record.createdAt !== null && record.createdAt > t) continue;
    const properties = { ...record.properties };
    const history = new Map<string, { value: string | null; at: number }[]>();
    for (const [property, points] of record.history) {
      const kept = points.filter((p) => p.at <= t);
      history.set(property, kept);
      if (kept.length > 0) properties[property] = kept[kept.length - 1]!.value;
      else delete properties[property];
    }
    records.set(key, { ...record, properties, history });
  }
  const byType = (type: string) => [...records.values()].filter((r) => r.type === type);
  const activities = new Map([...data.activities].map(([key, list]) => [key, list.filter((a) => a.at <= t)]));
  const links = new Map(
    [...data.links].filter(([key]) => records.has(key)).map(([key, set]) => [key, new Set([...set].filter((k) => records.has(k)))]),
  );
  return { ...data, records, deals: byType('deal'), contacts: byType('contact'), companies: byType('company'), activities, links };
}

/** A portal cut down to the given deals and contacts (with their companies, activities and associations). */
export function subsetPortal(portal: PortalData, dealIds: Set<string>, contactIds: Set<string>): PortalData {
  for (const a of portal.associations) {
    if (a.fromType === 'deal' && dealIds.has(a.fromId) && a.toType === 'contact') contactIds.add(a.toId);
  }
  const companyIds = new Set<string>();
  for (const a of portal.associations) {
    if ((a.fromType === 'contact' && contactIds.has(a.fromId)) || (a.fromType === 'deal' && dealIds.has(a.fromId))) {
      if (a.toType === 'company') companyIds.add(a.toId);
    }
  }
  const keep = (type: string, id: string) =>
    type === 'deal' ? dealIds.has(id) : type === 'contact' ? contactIds.has(id) : type === 'company' ? companyIds.has(id) : false;
  return {
    ...portal,
    deals: portal.deals.filter((d) => dealIds.has(d.id)),
    contacts: portal.contacts.filter((c) => contactIds.has(c.id)),
    companies: portal.companies.filter((c) => companyIds.has(c.id)),
    associations: portal.associations.filter((a) => keep(a.fromType, a.fromId) && keep(a.toType, a.toId)),
    activities: portal.activities
      .filter((a) => a.dealIds.some((id) => dealIds.has(id)) || a.contactIds.some((id) => contactIds.has(id)))
      .map((a) => ({
        ...a,
        dealIds: a.dealIds.filter((id) => dealIds.has(id)),
        contactIds: a.contactIds.filter((id) => contactIds.has(id)),
        companyIds: a.companyIds.filter((id) => companyIds.has(id)),
      })),
  };
}
