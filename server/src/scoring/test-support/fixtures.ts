import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { tenantDataAsOf } from '../tenant-data-as-of.ts';

/** A synthetic portal small enough for unit tests (~600 contacts, ~360 deals) but above the thin-data minimums. */
export function smallPortal(seed: number, contacts = 600): PortalData {
  return generateSyntheticPortal({ seed, contacts });
}

/** The store as of t (tenant-data-as-of.ts; the name the tests have always used). */
export const truncateAt = tenantDataAsOf;

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
