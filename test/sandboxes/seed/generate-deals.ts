import type { CompanyDraft, ContactDraft, DealDraft, OwnerDraft, TimedValue } from './drafts.ts';
import { DECISION_MAKER_SENIORITIES } from './names.ts';
import { LOST_STAGE_ID, OPEN_STAGE_IDS, WON_STAGE_ID } from './pipeline.ts';
import { COMPETITOR_WEIGHTS, COMPETITORS, dealWinProbability, typicalDealAmount } from './planted-model.ts';
import type { Rng } from './prng.ts';
import { DAY_MS, HOUR_MS, isoSeconds } from './time.ts';

const PRODUCT_LABELS: Record<string, string> = {
  analytics: 'Analytics',
  automation: 'Automation',
  integrations: 'Integrations',
  enterprise_suite: 'Enterprise Suite',
  not_sure: 'Platform',
};

/** How much more engaged (latent N(0,1) scale) the buying side of a deal that will be won is. */
const WINNER_ENGAGEMENT = 1.0;

/**
 * Deals open on a contact some weeks after the contact appears, with a few colleagues from the same company.
 * The planted win probability is computed from what is known when the deal opens; the outcome is drawn from
 * it, the engagement the deal's activities express follows the outcome, and the deal closes after a cycle whose
 * length does not depend on the outcome. Deals whose cycle ends after now are open.
 */
export function generateDeals(
  rng: Rng,
  count: number,
  companies: readonly CompanyDraft[],
  contacts: readonly ContactDraft[],
  owners: readonly OwnerDraft[],
  nowMs: number,
): DealDraft[] {
  const ownerSkill = new Map(owners.map((o) => [o.id, o.skill]));
  const drafts: DealDraft[] = [];
  for (let i = 0; i < count; i++) {
    const primaryIndex = rng.int(0, contacts.length - 1);
    const primary = contacts[primaryIndex] as ContactDraft;
    const company = companies[primary.companyIndex] as CompanyDraft;
    let createdMs = primary.createdMs + rng.exponential(60 * DAY_MS);
    if (createdMs > nowMs - HOUR_MS) createdMs = rng.uniform(primary.createdMs, nowMs - HOUR_MS);
    const contactIndices = [primaryIndex, ...pickColleagues(rng, company, contacts, primaryIndex, createdMs)];
    const members = contactIndices.map((ci) => contacts[ci] as ContactDraft);
    const seats = members.map((m) => m.seatsRequested).filter((s): s is number => s !== null);
    const ownerId = rng.bernoulli(0.85) ? company.ownerId : (owners[rng.int(0, owners.length - 1)] as OwnerDraft).id;
    const typicalAmount = typicalDealAmount(company.employees);
    const bigTicket = primary.productInterest === 'enterprise_suite' ? 1.8 : 1;
    const initialAmount = Math.max(500, Math.round((typicalAmount * bigTicket * Math.exp(0.55 * rng.normal())) / 100) * 100);
    const competitor = COMPETITORS[rng.weightedIndex(COMPETITOR_WEIGHTS)] as (typeof COMPETITORS)[number];
    const winProbability = dealWinProbability({
      industry: company.industry,
      employees: company.employees,
      initialAmount,
      typicalAmount,
      ownerSkill: ownerSkill.get(ownerId) ?? 0,
      contactCount: members.length,
      decisionMakerPresent: members.some((m) => DECISION_MAKER_SENIORITIES.includes(m.seniority)),
      primaryLeadSource: primary.leadSource,
      primaryProductInterest: primary.productInterest,
      maxSeatsRequested: seats.length === 0 ? null : Math.max(...seats),
      competitor,
    });
    const won = rng.bernoulli(winProbability);
    // Engagement on the deal expresses its outcome (buyers who will sign take the meetings and write back) and
    // carries over part of the primary contact's own engagement.
    const engagement = 0.5 * primary.engagement + 0.8 * rng.normal() + (won ? WINNER_ENGAGEMENT : 0) - 0.5;
    // Bigger companies take longer; neither the outcome nor the engagement plays a part, so which deals have
    // closed by now (the time-based hold-out) says nothing about their outcome beyond the company's size.
    const sizeFactor = 1 + 0.25 * (Math.log10(company.employees) - 2.5);
    const cycleDays = Math.min(420, Math.max(3, 80 * sizeFactor * Math.exp(0.6 * rng.normal())));
    const closeMs = createdMs + cycleDays * DAY_MS;
    const productLabel = PRODUCT_LABELS[primary.productInterest] ?? 'Platform';
    const draft: DealDraft = {
      id: `deal-${i + 1}`,
      name: `${company.name} - ${productLabel}`,
      companyIndex: primary.companyIndex,
      contactIndices,
      ownerId,
      competitor,
      createdMs,
      closeMs,
      engagement,
      winProbability,
      won,
      stage: [],
      amount: [],
      closeDate: [],
    };
    buildDealHistory(rng, draft, initialAmount, nowMs);
    drafts.push(draft);
  }
  return drafts;
}

/**
 * Up to three colleagues who came into the CRM after the primary contact and before the deal opens (about one
 * on average, when there are any): the primary contact started the conversation, so it is the deal's
 * earliest-created contact, and the contact fields the planted probability reads (lead source, product
 * interest) are that contact's. A company's contactIndices are in creation order.
 */
function pickColleagues(
  rng: Rng,
  company: CompanyDraft,
  contacts: readonly ContactDraft[],
  primaryIndex: number,
  createdMs: number,
): number[] {
  const members = company.contactIndices;
  let lo = 0;
  let hi = members.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((contacts[members[mid] as number] as ContactDraft).createdMs <= createdMs) lo = mid + 1;
    else hi = mid;
  }
  const present = lo;
  const after = members.indexOf(primaryIndex) + 1;
  const wanted = Math.min(3, rng.poisson(0.9), Math.max(0, present - after));
  const chosen: number[] = [];
  while (chosen.length < wanted) {
    const ci = members[rng.int(after, present - 1)] as number;
    if (!chosen.includes(ci)) chosen.push(ci);
  }
  return chosen;
}

/**
 * Stage, amount and close-date history. How far up the funnel the deal climbs before closing follows the
 * planted probability, not the realized outcome, so the stage at any moment before close tells a model no more
 * than the probability does; the final move to closedwon/closedlost happens at close.
 */
function buildDealHistory(rng: Rng, d: DealDraft, initialAmount: number, nowMs: number): void {
  const span = d.closeMs - d.createdMs;
  let reached = 1;
  for (let k = 1; k < OPEN_STAGE_IDS.length; k++) if (rng.bernoulli(0.2 + 0.6 * d.winProbability)) reached++;
  const stage: TimedValue[] = [{ ms: d.createdMs, value: OPEN_STAGE_IDS[0] }];
  for (let j = 1; j < reached; j++) {
    stage.push({ ms: d.createdMs + (span * (j - 1 + rng.uniform(0.2, 0.9))) / reached, value: OPEN_STAGE_IDS[j] as string });
  }
  stage.push({ ms: d.closeMs, value: d.won ? WON_STAGE_ID : LOST_STAGE_ID });
  d.stage = stage.filter((s) => s.ms <= nowMs);

  const amount: TimedValue[] = [{ ms: d.createdMs, value: String(initialAmount) }];
  if (rng.bernoulli(0.35)) {
    const revised = Math.max(500, Math.round((initialAmount * Math.exp(0.25 * rng.normal())) / 100) * 100);
    amount.push({ ms: d.createdMs + span * rng.uniform(0.2, 0.8), value: String(revised) });
  }
  d.amount = amount.filter((a) => a.ms <= nowMs);

  // The rep's expected close date slips each time it passes with the deal still open.
  let expectedMs = d.createdMs + rng.uniform(20, 60) * DAY_MS;
  const closeDate: TimedValue[] = [{ ms: d.createdMs, value: isoSeconds(expectedMs) }];
  while (expectedMs < d.closeMs && expectedMs <= nowMs) {
    const slippedAt = expectedMs;
    expectedMs += rng.uniform(14, 45) * DAY_MS;
    closeDate.push({ ms: slippedAt, value: isoSeconds(expectedMs) });
  }
  if (d.closeMs <= nowMs) {
    while (closeDate.length > 1 && (closeDate[closeDate.length - 1] as TimedValue).ms > d.closeMs) closeDate.pop();
    closeDate.push({ ms: d.closeMs, value: isoSeconds(d.closeMs) });
  }
  d.closeDate = closeDate;
}
