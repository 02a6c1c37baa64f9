import type { Industry, Seniority } from './names.ts';
import type { Competitor, LeadSource, ProductInterest } from './planted-model.ts';
import type { SeedActivity } from './portal-data.ts';

/**
 * The generator's working records: numbers in milliseconds and the latent variables, turned into
 * PortalData strings only at the end (string formatting dominates the cost of large portals).
 */
export interface OwnerDraft {
  id: string;
  /** Added to the deal win logit: some reps close better than others. */
  skill: number;
}

export interface CompanyDraft {
  id: string;
  name: string;
  domain: string;
  industry: Industry;
  employees: number;
  annualRevenue: number;
  country: string;
  ownerId: string;
  createdMs: number;
  /** Indices of this company's contacts, in creation order once sorted. */
  contactIndices: number[];
}

export interface TimedValue {
  ms: number;
  value: string | null;
}

export interface ContactDraft {
  id: string;
  companyIndex: number;
  firstName: string;
  lastName: string;
  email: string;
  jobTitle: string;
  seniority: Seniority;
  country: string;
  ownerId: string;
  leadSource: LeadSource;
  productInterest: ProductInterest;
  seatsRequested: number | null;
  createdMs: number;
  /** How engaged the contact is (drives its activities); follows the outcome, see generate-contacts.ts. */
  engagement: number;
  conversionProbability: number;
  /** Days from creation to becoming a customer (drawn from conversionProbability), or null: never. */
  customerAfterDays: number | null;
  lifecycle: TimedValue[];
  leadStatus: TimedValue[];
}

export interface DealDraft {
  id: string;
  name: string;
  companyIndex: number;
  contactIndices: number[];
  ownerId: string;
  competitor: Competitor;
  createdMs: number;
  /** When the deal closes; after `now` for open deals. */
  closeMs: number;
  engagement: number;
  winProbability: number;
  won: boolean;
  stage: TimedValue[];
  amount: TimedValue[];
  closeDate: TimedValue[];
}

/**
 * Activities as they are simulated: the final SeedActivity objects (id and timestamp filled in once sorted)
 * with parallel arrays of what the generator still needs, so large portals allocate one object per activity.
 */
export interface ActivityLog {
  activities: SeedActivity[];
  ms: number[];
  /** The one contact each activity is logged against. */
  contactIndex: number[];
  /** 1 for an outbound email or call, 2 for an inbound email or call or a completed meeting, 0 otherwise. */
  touch: number[];
}
