import type { PortalData, SeedRecord } from '@closewise/sandboxes/seed/portal-data';

/** A seed record as the CRM held it at t: history cut at t, each changing value set back to its value then. */
function recordAsOf(record: SeedRecord, t: number): SeedRecord {
  const properties = { ...record.properties };
  const history: SeedRecord['history'] = {};
  for (const [name, entries] of Object.entries(record.history)) {
    const kept = entries.filter((e) => Date.parse(e.timestamp) <= t);
    if (kept.length === 0) {
      delete properties[name];
      continue;
    }
    history[name] = kept;
    properties[name] = kept[kept.length - 1]!.value;
  }
  const updatedAt = Date.parse(record.updatedAt) > t ? new Date(t).toISOString() : record.updatedAt;
  return { ...record, properties, history, updatedAt };
}

/**
 * The portal as it stood at moment t: only records created by then, their values as of t, activities up to t
 * and associations between records that existed. Seed values without history never changed after creation
 * (the generator sets them once), so they are kept as they are.
 */
export function portalAsOf(portal: PortalData, t: number): PortalData {
  const existed = (r: SeedRecord) => Date.parse(r.createdAt) <= t;
  const companies = portal.companies.filter(existed).map((r) => recordAsOf(r, t));
  const contacts = portal.contacts.filter(existed).map((r) => recordAsOf(r, t));
  const deals = portal.deals.filter(existed).map((r) => recordAsOf(r, t));
  const ids = new Set([...companies, ...contacts, ...deals].map((r) => r.id));
  return {
    ...portal,
    companies,
    contacts,
    deals,
    associations: portal.associations.filter((a) => ids.has(a.fromId) && ids.has(a.toId)),
    activities: portal.activities
      .filter((a) => Date.parse(a.timestamp) <= t)
      .map((a) => ({
        ...a,
        contactIds: a.contactIds.filter((id) => ids.has(id)),
        companyIds: a.companyIds.filter((id) => ids.has(id)),
        dealIds: a.dealIds.filter((id) => ids.has(id)),
      })),
  };
}
