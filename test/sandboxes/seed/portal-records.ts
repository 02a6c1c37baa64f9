/** Turns the generator's drafts into PortalData records: ISO timestamps, string property values, histories. */
import type { ActivityLog, CompanyDraft, ContactDraft, DealDraft, TimedValue } from './drafts.ts';
import { DEFAULT_PIPELINE } from './pipeline.ts';
import type { SeedActivity, SeedAssociation, SeedHistoryEntry, SeedRecord } from './portal-data.ts';
import { isoSeconds } from './time.ts';

/** Orders activities by time (ties keep simulation order) and gives them ids and timestamps in that order. */
export function finishActivities(log: ActivityLog): SeedActivity[] {
  const order = Array.from(log.ms.keys()).sort((a, b) => (log.ms[a] as number) - (log.ms[b] as number) || a - b);
  return order.map((k, i) => {
    const activity = log.activities[k] as SeedActivity;
    activity.id = `activity-${i + 1}`;
    activity.timestamp = isoSeconds(log.ms[k] as number);
    activity.properties['hs_timestamp'] = activity.timestamp;
    return activity;
  });
}

const toHistory = (values: readonly TimedValue[]): SeedHistoryEntry[] =>
  values.map((v) => ({ value: v.value, timestamp: isoSeconds(v.ms) }));
const lastValue = (values: readonly TimedValue[]): string | null => values[values.length - 1]?.value ?? null;
const lastMs = (...lists: (readonly TimedValue[])[]): number => Math.max(...lists.map((l) => l[l.length - 1]?.ms ?? 0));

export function companyRecord(c: CompanyDraft): SeedRecord {
  const createdAt = isoSeconds(c.createdMs);
  return {
    id: c.id,
    createdAt,
    updatedAt: createdAt,
    properties: {
      name: c.name,
      domain: c.domain,
      industry: c.industry,
      numberofemployees: String(c.employees),
      annualrevenue: String(c.annualRevenue),
      country: c.country,
      hubspot_owner_id: c.ownerId,
      createdate: createdAt,
    },
    history: {},
  };
}

export function contactRecord(c: ContactDraft, companies: readonly CompanyDraft[]): SeedRecord {
  const createdAt = isoSeconds(c.createdMs);
  return {
    id: c.id,
    createdAt,
    updatedAt: isoSeconds(Math.max(c.createdMs, lastMs(c.lifecycle, c.leadStatus))),
    properties: {
      email: c.email,
      firstname: c.firstName,
      lastname: c.lastName,
      jobtitle: c.jobTitle,
      company: (companies[c.companyIndex] as CompanyDraft).name,
      lifecyclestage: lastValue(c.lifecycle),
      hs_lead_status: lastValue(c.leadStatus),
      country: c.country,
      hubspot_owner_id: c.ownerId,
      createdate: createdAt,
      lead_source_detail: c.leadSource,
      product_interest: c.productInterest,
      seats_requested: c.seatsRequested === null ? null : String(c.seatsRequested),
    },
    history: { lifecyclestage: toHistory(c.lifecycle), hs_lead_status: toHistory(c.leadStatus) },
  };
}

export function dealRecord(d: DealDraft): SeedRecord {
  const createdAt = isoSeconds(d.createdMs);
  return {
    id: d.id,
    createdAt,
    updatedAt: isoSeconds(Math.max(d.createdMs, lastMs(d.stage, d.amount, d.closeDate))),
    properties: {
      dealname: d.name,
      pipeline: DEFAULT_PIPELINE.id,
      dealstage: lastValue(d.stage),
      amount: lastValue(d.amount),
      closedate: lastValue(d.closeDate),
      hubspot_owner_id: d.ownerId,
      createdate: createdAt,
      competitor_involved: d.competitor,
    },
    history: { dealstage: toHistory(d.stage), amount: toHistory(d.amount), closedate: toHistory(d.closeDate) },
  };
}

export function associations(
  contacts: readonly ContactDraft[],
  companies: readonly CompanyDraft[],
  deals: readonly DealDraft[],
): SeedAssociation[] {
  const out: SeedAssociation[] = [];
  for (const c of contacts) {
    out.push({ fromType: 'contact', fromId: c.id, toType: 'company', toId: (companies[c.companyIndex] as CompanyDraft).id });
  }
  for (const d of deals) {
    for (const ci of d.contactIndices)
      out.push({ fromType: 'deal', fromId: d.id, toType: 'contact', toId: (contacts[ci] as ContactDraft).id });
    out.push({ fromType: 'deal', fromId: d.id, toType: 'company', toId: (companies[d.companyIndex] as CompanyDraft).id });
  }
  return out;
}
