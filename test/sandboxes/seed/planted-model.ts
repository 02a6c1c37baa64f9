import type { Industry, Seniority } from './names.ts';

/**
 * The planted truth: how a contact's chance of becoming a customer within 90 days, and a deal's chance of
 * being won, depend on what the CRM shows when the record is created. Every input is observable then (the
 * owner's skill through that owner's earlier deals), so at creation these probabilities are the best any
 * model can do: the oracle. The generator draws the outcomes from them with the seeded PRNG, and only then
 * the activities, which express the outcome (buyers engage more), so later snapshots can beat the oracle.
 * The README describes the drivers in words. Coefficients are sized so the oracle AUC lands around 0.80.
 */

export const LEAD_SOURCES = [
  'referral',
  'partner',
  'trade_show',
  'webinar',
  'content_download',
  'organic_search',
  'paid_search',
  'cold_outbound',
  'purchased_list',
] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];
/** How often each lead source occurs, aligned with LEAD_SOURCES. */
export const LEAD_SOURCE_WEIGHTS = [6, 4, 7, 10, 14, 16, 14, 20, 9] as const;

export const PRODUCT_INTERESTS = ['analytics', 'automation', 'integrations', 'enterprise_suite', 'not_sure'] as const;
export type ProductInterest = (typeof PRODUCT_INTERESTS)[number];
export const PRODUCT_INTEREST_WEIGHTS = [25, 22, 18, 10, 25] as const;

export const COMPETITORS = ['none', 'legacy_vendor', 'direct_competitor', 'unknown'] as const;
export type Competitor = (typeof COMPETITORS)[number];
export const COMPETITOR_WEIGHTS = [30, 25, 20, 25] as const;

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Without a hidden engagement term the profile carries all the signal: the logits are stretched so the oracle
 * AUC stays near 0.80 and shifted so the base rates stay where they were (~13% of contacts, ~42% of deals).
 */
const CONTACT_SHARPNESS = 1.45;
const CONTACT_SHIFT = 1.0;
const DEAL_SHARPNESS = 1.5;
const DEAL_SHIFT = 0.35;

const SENIORITY_EFFECT: Record<Seniority, number> = {
  clevel: 0.9,
  vp: 0.85,
  head: 0.6,
  director: 0.55,
  manager: 0.1,
  individual: -0.45,
  other: -1.4,
};

/** How well the product fits each industry; shared by the contact and deal models. */
export const INDUSTRY_FIT: Record<Industry, number> = {
  COMPUTER_SOFTWARE: 0.55,
  INFORMATION_TECHNOLOGY_AND_SERVICES: 0.4,
  FINANCIAL_SERVICES: 0.3,
  HOSPITAL_HEALTH_CARE: -0.1,
  MANUFACTURING: 0.2,
  RETAIL: -0.2,
  LOGISTICS_AND_SUPPLY_CHAIN: 0.1,
  MARKETING_AND_ADVERTISING: 0.25,
  EDUCATION_MANAGEMENT: -0.55,
  REAL_ESTATE: -0.3,
  TELECOMMUNICATIONS: 0.0,
  NONPROFIT_ORGANIZATION_MANAGEMENT: -0.7,
};

const LEAD_SOURCE_EFFECT: Record<LeadSource, number> = {
  referral: 1.1,
  partner: 0.75,
  trade_show: 0.35,
  webinar: 0.25,
  content_download: -0.15,
  organic_search: 0.05,
  paid_search: -0.3,
  cold_outbound: -0.75,
  purchased_list: -1.2,
};

/** Product lines that sell best in particular industries: an interaction, not a main effect. */
const PRODUCT_INDUSTRY_MATCH: Record<ProductInterest, readonly Industry[]> = {
  analytics: ['FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE', 'RETAIL'],
  automation: ['MANUFACTURING', 'LOGISTICS_AND_SUPPLY_CHAIN', 'TELECOMMUNICATIONS'],
  integrations: ['COMPUTER_SOFTWARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'MARKETING_AND_ADVERTISING'],
  enterprise_suite: [],
  not_sure: [],
};

const PRODUCT_INTEREST_EFFECT: Record<ProductInterest, number> = {
  analytics: 0.1,
  automation: 0.15,
  integrations: 0.05,
  enterprise_suite: 0.0,
  not_sure: -0.6,
};

const COMPETITOR_EFFECT: Record<Competitor, number> = {
  none: 0.5,
  legacy_vendor: 0.05,
  direct_competitor: -0.9,
  unknown: -0.15,
};

/** Company size in decades of employees, centred on ~300 employees. */
const sizeDecades = (employees: number): number => Math.log10(Math.max(1, employees)) - 2.5;

function productFit(product: ProductInterest, industry: Industry, employees: number): number {
  let effect = PRODUCT_INTEREST_EFFECT[product];
  if (PRODUCT_INDUSTRY_MATCH[product].includes(industry)) effect += 0.6;
  // The enterprise suite is a bad fit for small companies and a good one for large ones.
  if (product === 'enterprise_suite') effect += employees < 200 ? -0.9 : employees >= 1000 ? 0.5 : 0;
  return effect;
}

function seatsEffect(seats: number | null, weight: number): number {
  return seats === null ? -0.3 * weight : weight * (Math.log1p(seats) - 2.5);
}

export interface ContactProfile {
  seniority: Seniority;
  industry: Industry;
  employees: number;
  leadSource: LeadSource;
  productInterest: ProductInterest;
  seatsRequested: number | null;
}

export function contactConversionProbability(c: ContactProfile): number {
  let logit = -2.55;
  logit += SENIORITY_EFFECT[c.seniority];
  // C-level people at very large companies rarely buy within 90 days.
  if (c.seniority === 'clevel' && c.employees > 2000) logit -= 0.8;
  logit += 0.35 * sizeDecades(c.employees);
  logit += INDUSTRY_FIT[c.industry];
  logit += LEAD_SOURCE_EFFECT[c.leadSource];
  logit += productFit(c.productInterest, c.industry, c.employees);
  logit += seatsEffect(c.seatsRequested, 0.4);
  return sigmoid(CONTACT_SHARPNESS * logit + CONTACT_SHIFT);
}

export interface DealProfile {
  industry: Industry;
  employees: number;
  /** Amount at creation, and what a company of this size usually spends. */
  initialAmount: number;
  typicalAmount: number;
  ownerSkill: number;
  contactCount: number;
  decisionMakerPresent: boolean;
  primaryLeadSource: LeadSource;
  primaryProductInterest: ProductInterest;
  maxSeatsRequested: number | null;
  competitor: Competitor;
}

/** What a company of this size typically pays per deal: grows sub-linearly with headcount. */
export const typicalDealAmount = (employees: number): number => 9000 * (Math.max(1, employees) / 100) ** 0.45;

export function dealWinProbability(d: DealProfile): number {
  let logit = -0.75;
  logit += INDUSTRY_FIT[d.industry];
  logit += 0.2 * sizeDecades(d.employees);
  // Overreaching: asking far more than the company usually spends lowers the odds; smaller asks barely help.
  const overreach = Math.log(d.initialAmount / d.typicalAmount);
  logit += overreach > 0 ? -0.9 * overreach : -0.1 * overreach;
  logit += d.ownerSkill;
  logit += 0.3 * Math.min(d.contactCount - 1, 3);
  logit += d.decisionMakerPresent ? 0.7 : 0;
  // A decision maker matters most on big tickets.
  if (d.decisionMakerPresent && d.initialAmount > 2 * d.typicalAmount) logit += 0.5;
  logit += 0.45 * LEAD_SOURCE_EFFECT[d.primaryLeadSource];
  logit += 0.8 * productFit(d.primaryProductInterest, d.industry, d.employees);
  logit += seatsEffect(d.maxSeatsRequested, 0.2);
  logit += COMPETITOR_EFFECT[d.competitor];
  return sigmoid(DEAL_SHARPNESS * logit + DEAL_SHIFT);
}
