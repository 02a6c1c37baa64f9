import { z } from 'zod';
import { emptyActivityLog, simulateContactActivities, simulateDealActivities } from './activity-simulation.ts';
import { CUSTOM_PROPERTIES } from './custom-properties.ts';
import { markDealContactsAsOpportunities } from './deal-lifecycle.ts';
import type { CompanyDraft, ContactDraft } from './drafts.ts';
import { generateCompanies, generateOwners } from './generate-companies.ts';
import { generateContacts } from './generate-contacts.ts';
import { generateDeals } from './generate-deals.ts';
import { buildLeadStatus } from './lead-status.ts';
import { DEFAULT_PIPELINE } from './pipeline.ts';
import type { PortalData } from './portal-data.ts';
import { associations, companyRecord, contactRecord, dealRecord, finishActivities } from './portal-records.ts';
import { createRng } from './prng.ts';
import { SyntheticPortalOptionsError } from './synthetic-portal-options-error.ts';
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
  /** Planted drift for drift checks: contacts created from `from` on convert at shifted log-odds. */
  conversionDrift: z.object({ from: z.iso.datetime({ offset: true }), logOdds: z.number().min(-10).max(10) }).optional(),
});
export type SyntheticPortalOptions = z.input<typeof optionsSchema>;

/**
 * A deterministic synthetic B2B portal with planted outcome probabilities (see README.md). Companies and deals
 * default to 15% and 60% of the contact count (300 companies, 2,000 contacts, 1,200 deals by default).
 */
export function generateSyntheticPortal(options: SyntheticPortalOptions): PortalData {
  const result = optionsSchema.safeParse(options);
  if (!result.success)
    throw new SyntheticPortalOptionsError(`Invalid synthetic portal options: ${z.prettifyError(result.error)}`, result.error.issues);
  const parsed = result.data;
  const contactCount = parsed.contacts ?? DEFAULT_CONTACTS;
  const companyCount = parsed.companies ?? Math.max(1, Math.round(contactCount * 0.15));
  const dealCount = parsed.deals ?? Math.round(contactCount * 0.6);
  const nowMs = Date.parse(parsed.now ?? DEFAULT_NOW);
  const startMs = nowMs - WINDOW_DAYS * DAY_MS;
  const seed = parsed.seed;

  const { owners, drafts: ownerDrafts } = generateOwners(createRng(seed, 'owners'), OWNER_COUNT);
  const companies = generateCompanies(createRng(seed, 'companies'), companyCount, ownerDrafts);
  const conversionDrift = parsed.conversionDrift
    ? { fromMs: Date.parse(parsed.conversionDrift.from), logOdds: parsed.conversionDrift.logOdds }
    : undefined;
  const contacts = generateContacts(
    createRng(seed, 'contacts'),
    contactCount,
    companies,
    { startMs, nowMs, conversionDrift },
    createRng(seed, 'lost-opportunities'),
  );
  const deals = generateDeals(createRng(seed, 'deals'), dealCount, companies, contacts, ownerDrafts, nowMs);
  markDealContactsAsOpportunities(contacts, deals);

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
    // Copies, so a caller that edits one portal's metadata cannot change the next portal's.
    pipelines: [structuredClone(DEFAULT_PIPELINE)],
    customProperties: structuredClone(CUSTOM_PROPERTIES),
    companies: companies.map(companyRecord),
    contacts: contacts.map((c) => contactRecord(c, companies)),
    deals: deals.map((d) => dealRecord(d)),
    activities,
    associations: associations(contacts, companies, deals),
    truth: {
      dealWin: byId(deals, (d) => d.winProbability),
      contactConversion: byId(contacts, (c) => c.conversionProbability),
    },
  };
}

function byId<T extends { id: string }>(items: readonly T[], value: (item: T) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[item.id] = value(item);
  return out;
}
