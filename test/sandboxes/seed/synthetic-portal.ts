import { z } from 'zod';
import { BadInputError } from '../../../server/src/errors/errors.ts';
import { isInboundTouch, isOutboundTouch, simulateContactActivities, simulateDealActivities } from './activity-simulation.ts';
import { CUSTOM_PROPERTIES } from './custom-properties.ts';
import type { ActivityDraft, CompanyDraft, ContactDraft, DealDraft, TimedValue } from './drafts.ts';
import { generateCompanies, generateOwners } from './generate-companies.ts';
import { generateContacts } from './generate-contacts.ts';
import { generateDeals } from './generate-deals.ts';
import { DEFAULT_PIPELINE } from './pipeline.ts';
import type { PortalData, SeedActivity, SeedAssociation, SeedHistoryEntry, SeedRecord } from './portal-data.ts';
import { createRng } from './prng.ts';
import { DAY_MS, isoSeconds } from './time.ts';

/** A fixed default present moment: never the wall clock, so a seed always gives the same bytes. */
export const DEFAULT_NOW = '2026-11-01T00:00:00Z';
export const DEFAULT_CONTACTS = 2000;
export const OWNER_COUNT = 12;
/** Two years of history before now. */
const WINDOW_DAYS = 730;

/** Benchmark size: generated in a few seconds. */
export const LARGE_PORTAL_OPTIONS = { contacts: 100_000 } as const;

const optionsSchema = z.object({
  seed: z.number().int(),
  contacts: z.number().int().min(10).max(1_000_000).optional(),
  companies: z.number().int().min(1).max(200_000).optional(),
  deals: z.number().int().min(1).max(1_000_000).optional(),
  now: z.iso.datetime({ offset: true }).optional(),
});
export type SyntheticPortalOptions = z.input<typeof optionsSchema>;

/**
 * A deterministic synthetic B2B portal with planted outcome probabilities (see README.md). Companies and deals
 * default to 15% and 60% of the contact count (300 companies, 2,000 contacts, 1,200 deals by default).
 */
export function generateSyntheticPortal(options: SyntheticPortalOptions): PortalData {
  const result = optionsSchema.safeParse(options);
  if (!result.success) throw new BadInputError(`Invalid synthetic portal options: ${z.prettifyError(result.error)}`, result.error.issues);
  const parsed = result.data;
  const contactCount = parsed.contacts ?? DEFAULT_CONTACTS;
  const companyCount = parsed.companies ?? Math.max(1, Math.round(contactCount * 0.15));
  const dealCount = parsed.deals ?? Math.round(contactCount * 0.6);
  const nowMs = Date.parse(parsed.now ?? DEFAULT_NOW);
  const startMs = nowMs - WINDOW_DAYS * DAY_MS;
  const seed = parsed.seed;

  const { owners, drafts: ownerDrafts } = generateOwners(createRng(seed, 'owners'), OWNER_COUNT);
  const companies = generateCompanies(createRng(seed, 'companies'), companyCount, ownerDrafts);
  const contacts = generateContacts(createRng(seed, 'contacts'), contactCount, companies, { startMs, nowMs });
  const deals = generateDeals(createRng(seed, 'deals'), dealCount, companies, contacts, ownerDrafts, nowMs);

  const activities: ActivityDraft[] = [];
  const activityRng = createRng(seed, 'activities');
  for (let i = 0; i < contacts.length; i++) simulateContactActivities(activityRng, contacts[i] as ContactDraft, i, nowMs, activities);
  for (let i = 0; i < deals.length; i++) simulateDealActivities(activityRng, deals[i] as DealDraft, i, nowMs, activities);
  activities.sort((a, b) => a.ms - b.ms);
  buildLeadStatus(contacts, activities);

  return {
    name: `Synthetic portal (seed ${seed})`,
    now: isoSeconds(nowMs),
    owners,
    pipelines: [DEFAULT_PIPELINE],
    customProperties: CUSTOM_PROPERTIES,
    companies: companies.map(companyRecord),
    contacts: contacts.map((c) => contactRecord(c, companies)),
    deals: deals.map((d) => dealRecord(d)),
    activities: activities.map((a, i) => activityRecord(a, i, contacts, companies, deals)),
    associations: associations(contacts, companies, deals),
    truth: {
      dealWin: Object.fromEntries(deals.map((d) => [d.id, d.winProbability])),
      contactConversion: Object.fromEntries(contacts.map((c) => [c.id, c.conversionProbability])),
    },
  };
}

const LEAD_STATUS_RANK: Record<string, number> = { NEW: 0, ATTEMPTED_TO_CONTACT: 1, CONNECTED: 2, IN_PROGRESS: 3, OPEN_DEAL: 4 };

/**
 * Lead status follows what happened to the contact: first outbound touch, first reply, sales-qualified,
 * opportunity. It only moves forward.
 */
function buildLeadStatus(contacts: ContactDraft[], activities: readonly ActivityDraft[]): void {
  const events: TimedValue[][] = contacts.map((c) => [{ ms: c.createdMs, value: 'NEW' }]);
  for (const a of activities) {
    const value = isInboundTouch(a) ? 'CONNECTED' : isOutboundTouch(a) ? 'ATTEMPTED_TO_CONTACT' : null;
    if (value === null) continue;
    for (const ci of a.contactIndices) (events[ci] as TimedValue[]).push({ ms: a.ms, value });
  }
  contacts.forEach((c, i) => {
    const list = events[i] as TimedValue[];
    for (const step of c.lifecycle) {
      if (step.value === 'salesqualifiedlead') list.push({ ms: step.ms, value: 'IN_PROGRESS' });
      if (step.value === 'opportunity') list.push({ ms: step.ms, value: 'OPEN_DEAL' });
    }
    list.sort((x, y) => x.ms - y.ms);
    const kept: TimedValue[] = [];
    let rank = -1;
    for (const e of list) {
      const r = LEAD_STATUS_RANK[e.value ?? ''] ?? -1;
      if (r > rank) {
        kept.push(e);
        rank = r;
      }
    }
    c.leadStatus = kept;
  });
}

const toHistory = (values: readonly TimedValue[]): SeedHistoryEntry[] =>
  values.map((v) => ({ value: v.value, timestamp: isoSeconds(v.ms) }));
const lastValue = (values: readonly TimedValue[]): string | null => values[values.length - 1]?.value ?? null;
const lastMs = (...lists: (readonly TimedValue[])[]): number => Math.max(...lists.map((l) => l[l.length - 1]?.ms ?? 0));

function companyRecord(c: CompanyDraft): SeedRecord {
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

function contactRecord(c: ContactDraft, companies: readonly CompanyDraft[]): SeedRecord {
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

function dealRecord(d: DealDraft): SeedRecord {
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

function activityRecord(
  a: ActivityDraft,
  index: number,
  contacts: readonly ContactDraft[],
  companies: readonly CompanyDraft[],
  deals: readonly DealDraft[],
): SeedActivity {
  const timestamp = isoSeconds(a.ms);
  return {
    id: `activity-${index + 1}`,
    kind: a.kind,
    timestamp,
    // The draft's properties are handed over rather than copied: large portals hold hundreds of thousands.
    properties: Object.assign(a.properties, { hs_timestamp: timestamp }),
    contactIds: a.contactIndices.map((i) => (contacts[i] as ContactDraft).id),
    companyIds: a.companyIndices.map((i) => (companies[i] as CompanyDraft).id),
    dealIds: a.dealIndices.map((i) => (deals[i] as DealDraft).id),
  };
}

function associations(
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
