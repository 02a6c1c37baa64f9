import { z } from 'zod';
import { BadInputError } from '../../../server/src/errors/errors.ts';
import { emptyActivityLog, simulateContactActivities, simulateDealActivities } from './activity-simulation.ts';
import { CUSTOM_PROPERTIES } from './custom-properties.ts';
import type { ActivityLog, CompanyDraft, ContactDraft, DealDraft, TimedValue } from './drafts.ts';
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

  const log = emptyActivityLog();
  const activityRng = createRng(seed, 'activities');
  const companyId = (index: number): string => (companies[index] as CompanyDraft).id;
  for (let i = 0; i < contacts.length; i++) {
    const contact = contacts[i] as ContactDraft;
    simulateContactActivities(activityRng, contact, i, companyId(contact.companyIndex), nowMs, log);
  }
  for (const deal of deals) simulateDealActivities(activityRng, deal, contacts, companyId(deal.companyIndex), nowMs, log);
  buildLeadStatus(contacts, log);
  const activities = finishActivities(log);

  return {
    name: `Synthetic portal (seed ${seed})`,
    now: isoSeconds(nowMs),
    owners,
    pipelines: [DEFAULT_PIPELINE],
    customProperties: CUSTOM_PROPERTIES,
    companies: companies.map(companyRecord),
    contacts: contacts.map((c) => contactRecord(c, companies)),
    deals: deals.map((d) => dealRecord(d)),
    activities,
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
function buildLeadStatus(contacts: ContactDraft[], log: ActivityLog): void {
  const firstOutbound = new Float64Array(contacts.length).fill(Number.POSITIVE_INFINITY);
  const firstInbound = new Float64Array(contacts.length).fill(Number.POSITIVE_INFINITY);
  for (let k = 0; k < log.ms.length; k++) {
    const ci = log.contactIndex[k] as number;
    const ms = log.ms[k] as number;
    if (log.touch[k] === 1 && ms < (firstOutbound[ci] as number)) firstOutbound[ci] = ms;
    if (log.touch[k] === 2 && ms < (firstInbound[ci] as number)) firstInbound[ci] = ms;
  }
  contacts.forEach((c, i) => {
    const events: TimedValue[] = [{ ms: c.createdMs, value: 'NEW' }];
    if (Number.isFinite(firstOutbound[i])) events.push({ ms: firstOutbound[i] as number, value: 'ATTEMPTED_TO_CONTACT' });
    if (Number.isFinite(firstInbound[i])) events.push({ ms: firstInbound[i] as number, value: 'CONNECTED' });
    for (const step of c.lifecycle) {
      if (step.value === 'salesqualifiedlead') events.push({ ms: step.ms, value: 'IN_PROGRESS' });
      if (step.value === 'opportunity') events.push({ ms: step.ms, value: 'OPEN_DEAL' });
    }
    events.sort((x, y) => x.ms - y.ms);
    const kept: TimedValue[] = [];
    let rank = -1;
    for (const e of events) {
      const r = LEAD_STATUS_RANK[e.value ?? ''] ?? -1;
      if (r > rank) {
        kept.push(e);
        rank = r;
      }
    }
    c.leadStatus = kept;
  });
}

/** Orders activities by time (ties keep simulation order) and gives them ids and timestamps in that order. */
function finishActivities(log: ActivityLog): SeedActivity[] {
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
