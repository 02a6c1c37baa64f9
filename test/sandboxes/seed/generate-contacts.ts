import type { CompanyDraft, ContactDraft, TimedValue } from './drafts.ts';
import { FIRST_NAMES, LAST_NAMES, type Seniority, TITLES_BY_SENIORITY } from './names.ts';
import {
  contactConversionProbability,
  LEAD_SOURCE_WEIGHTS,
  LEAD_SOURCES,
  PRODUCT_INTEREST_WEIGHTS,
  PRODUCT_INTERESTS,
  sigmoid,
} from './planted-model.ts';
import { type Rng, weightedSampler } from './prng.ts';
import { DAY_MS, HOUR_MS } from './time.ts';

const SENIORITIES = Object.keys(TITLES_BY_SENIORITY) as Seniority[];
const SENIORITY_WEIGHTS: Record<Seniority, number> = { clevel: 6, vp: 8, head: 7, director: 12, manager: 25, individual: 35, other: 7 };

const asciiSlug = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
const FIRST_SLUGS = FIRST_NAMES.map(asciiSlug);
const LAST_SLUGS = LAST_NAMES.map(asciiSlug);

export interface ContactWindow {
  startMs: number;
  nowMs: number;
  /** Planted drift: contacts created from `fromMs` on convert at log-odds shifted by `logOdds` (same profiles). */
  conversionDrift?: { fromMs: number; logOdds: number } | undefined;
}

/**
 * Contacts spread over the window (more of them recently), attached to companies in proportion to √headcount.
 * The profile is drawn first, the planted 90-day conversion probability follows from it, the outcome from that,
 * and the engagement the activities express from the outcome; buildLifecycle lays out the lifecycle. Deals
 * later add opportunity steps (deal-lifecycle.ts).
 */
export function generateContacts(
  rng: Rng,
  count: number,
  companies: CompanyDraft[],
  window: ContactWindow,
  /** Its own stream, so drawing lost opportunities leaves every other draw of the portal as it was. */
  opportunityRng: Rng = rng,
): ContactDraft[] {
  const pickCompany = weightedSampler(
    rng,
    companies.map((c) => Math.sqrt(c.employees)),
  );
  const seniorityWeights = SENIORITIES.map((s) => SENIORITY_WEIGHTS[s]);
  const usedEmails = new Set<string>();
  const contacts: ContactDraft[] = [];
  for (let i = 0; i < count; i++) {
    const companyIndex = pickCompany();
    const company = companies[companyIndex] as CompanyDraft;
    const first = rng.int(0, FIRST_NAMES.length - 1);
    const last = rng.int(0, LAST_NAMES.length - 1);
    const firstName = FIRST_NAMES[first] as string;
    const lastName = LAST_NAMES[last] as string;
    const local = `${FIRST_SLUGS[first]}.${LAST_SLUGS[last]}`;
    let email = `${local}@${company.domain}`;
    for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${company.domain}`;
    usedEmails.add(email);
    const seniority = SENIORITIES[rng.weightedIndex(seniorityWeights)] as Seniority;
    const leadSource = LEAD_SOURCES[rng.weightedIndex(LEAD_SOURCE_WEIGHTS)] as (typeof LEAD_SOURCES)[number];
    const productInterest = PRODUCT_INTERESTS[rng.weightedIndex(PRODUCT_INTEREST_WEIGHTS)] as (typeof PRODUCT_INTERESTS)[number];
    // Seats scale with company size; a third of forms leave the field empty.
    const seatsRequested = rng.bernoulli(0.35)
      ? null
      : Math.max(1, Math.min(5000, Math.round(Math.exp(0.55 * Math.log(company.employees) - 0.7 + 0.8 * rng.normal()))));
    // A growing business: more contacts arrive recently than two years ago.
    const createdMs = window.startMs + (window.nowMs - HOUR_MS - window.startMs) * rng.next() ** 0.6;
    const profileProbability = contactConversionProbability({
      seniority,
      industry: company.industry,
      employees: company.employees,
      leadSource,
      productInterest,
      seatsRequested,
    });
    // No random draw here, so a portal without drift keeps exactly the bytes it had.
    const drift = window.conversionDrift;
    const conversionProbability =
      drift && createdMs >= drift.fromMs ? sigmoid(logit(profileProbability) + drift.logOdds) : profileProbability;
    // The outcome is drawn at creation; a few of the rest buy later than the 90-day window (label noise for
    // later snapshots).
    const customerAfterDays = rng.bernoulli(conversionProbability) ? rng.uniform(7, 88) : rng.bernoulli(0.08) ? rng.uniform(95, 400) : null;
    // Engagement expresses the outcome: people on their way to buying engage more, later buyers a little more.
    // Inbound sources bring slightly more engaged people; the rest is individual.
    const inbound = leadSource === 'referral' || leadSource === 'webinar' || leadSource === 'partner';
    const intent = customerAfterDays === null ? 0 : customerAfterDays <= 90 ? CONVERTER_ENGAGEMENT : LATE_BUYER_ENGAGEMENT;
    const engagement = rng.normal() + (inbound ? 0.25 : 0) - (leadSource === 'purchased_list' ? 0.3 : 0) + intent;
    contacts.push({
      id: '',
      companyIndex,
      firstName,
      lastName,
      email,
      jobTitle: rng.pick(TITLES_BY_SENIORITY[seniority]),
      seniority,
      country: rng.bernoulli(0.9) ? company.country : 'United States',
      ownerId: company.ownerId,
      leadSource,
      productInterest,
      seatsRequested,
      createdMs,
      engagement,
      conversionProbability,
      customerAfterDays,
      lifecycle: [],
      leadStatus: [],
    });
  }
  // Ids in creation order, as a CRM would hand them out.
  contacts.sort((a, b) => a.createdMs - b.createdMs);
  contacts.forEach((c, i) => {
    c.id = `contact-${i + 1}`;
    (companies[c.companyIndex] as CompanyDraft).contactIndices.push(i);
  });
  for (const company of companies) {
    const first = company.contactIndices[0];
    const firstMs = first === undefined ? rng.uniform(window.startMs, window.nowMs - HOUR_MS) : (contacts[first] as ContactDraft).createdMs;
    company.createdMs = Math.max(window.startMs - 365 * DAY_MS, firstMs - HOUR_MS - rng.exponential(20 * DAY_MS));
  }
  for (const contact of contacts) buildLifecycle(rng, opportunityRng, contact, window.nowMs);
  return contacts;
}

/** How much more engaged (on the latent's N(0,1) scale) a contact that converts within 90 days is. */
const CONVERTER_ENGAGEMENT = 1.2;
const LATE_BUYER_ENGAGEMENT = 0.5;

const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * How often a contact that never buys still becomes an opportunity (on the propensity's log-odds, like the
 * MQL and SQL steps): real funnels lose most opportunities. Before, only buyers reached `opportunity` without
 * a deal (174 of 174 such snapshots converted), an outcome leak no real portal has. With this, 40–48% of the
 * contacts at `opportunity` without a deal convert (seeds 1, 2, 3, 7 at 2,000 contacts).
 */
const LOST_OPPORTUNITY_LOG_ODDS = 1.5;
const BEFORE_OPPORTUNITY = new Set<string | null>(['lead', 'marketingqualifiedlead', 'salesqualifiedlead']);

/**
 * Lifecycle: subscriber/lead → MQL → SQL driven by the planted propensity (not by the outcome), then for
 * contacts that convert an opportunity a few days before customer, and for some that never do an opportunity
 * that is lost (they stay there, as HubSpot leaves them). Entries after now are not recorded, so a contact
 * created last month may still be on its way.
 */
function buildLifecycle(rng: Rng, opportunityRng: Rng, c: ContactDraft, nowMs: number): void {
  const customerMs = c.customerAfterDays === null ? null : c.createdMs + c.customerAfterDays * DAY_MS;
  const steps: TimedValue[] = [];
  const subscribes = (c.leadSource === 'content_download' || c.leadSource === 'webinar') && rng.bernoulli(0.6);
  steps.push({ ms: c.createdMs, value: subscribes ? 'subscriber' : 'lead' });
  let t = c.createdMs;
  if (subscribes && rng.bernoulli(0.8)) {
    t += rng.uniform(0.5, 10) * DAY_MS;
    steps.push({ ms: t, value: 'lead' });
  }
  const z = logit(c.conversionProbability);
  if (rng.bernoulli(sigmoid(z + 1.6))) {
    t += rng.uniform(1, 25) * DAY_MS;
    steps.push({ ms: t, value: 'marketingqualifiedlead' });
    if (rng.bernoulli(sigmoid(z + 0.8))) {
      t += rng.uniform(2, 30) * DAY_MS;
      steps.push({ ms: t, value: 'salesqualifiedlead' });
    }
  }
  if (customerMs !== null) {
    const opportunityMs = customerMs - rng.uniform(1, 6) * DAY_MS;
    // Steps planned after the opportunity are folded into it: the contact moved faster than usual.
    while (steps.length > 1 && (steps[steps.length - 1] as TimedValue).ms >= opportunityMs) steps.pop();
    steps.push({ ms: Math.max(opportunityMs, (steps[steps.length - 1] as TimedValue).ms + HOUR_MS), value: 'opportunity' });
    steps.push({ ms: Math.max(customerMs, (steps[steps.length - 1] as TimedValue).ms + HOUR_MS), value: 'customer' });
  } else if (
    BEFORE_OPPORTUNITY.has((steps[steps.length - 1] as TimedValue).value) &&
    opportunityRng.bernoulli(sigmoid(z + LOST_OPPORTUNITY_LOG_ODDS))
  ) {
    steps.push({ ms: t + opportunityRng.uniform(3, 40) * DAY_MS, value: 'opportunity' });
  }
  c.lifecycle = steps.filter((s) => s.ms <= nowMs);
}
